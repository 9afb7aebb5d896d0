// Some tests build strings of tens of MiB or probe how much stack a render has left; one at a time, their memory
// use and results do not depend on what else the runner is doing.
[assembly: DoNotParallelize]
