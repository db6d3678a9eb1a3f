#pragma once

namespace albert {

// GHz of the core this runs on (best of 5 runs of ~20 ms), or 0 where not measurable.
double measure_ghz();

}  // namespace albert
