// Tests share libtorch's process-wide state (thread count, the live-tensor counter), so they run one at a time.
[assembly: DoNotParallelize]
