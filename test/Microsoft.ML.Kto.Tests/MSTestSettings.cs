// Tests share libtorch's process-wide state (threads, the live-tensor counter), so they run one at a time.
[assembly: DoNotParallelize]
