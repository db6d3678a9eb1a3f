// albert-ts: pipeline(task) and fromPretrained() will live here, re-exporting the packages.
export {};
