// Instruction sets the kernels are compiled for, picked at run time with cpuid (never
// -march=native: the same binary runs on any x86-64).
#pragma once

namespace albert {

enum class Isa { kBaseline = 0, kAvx2 = 1, kAvx512 = 2 };

Isa detect_isa();          // what this CPU and OS support
Isa active_isa();          // what the kernels use (detect_isa(), or lower if forced)
bool set_isa(Isa isa);     // false if the CPU cannot run it
const char* isa_name(Isa isa);

}  // namespace albert
