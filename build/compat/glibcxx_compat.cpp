// Debian 12 compatibility stub for TorchSharp's libLibTorchSharp.so (see patch-libtorchsharp.sh).
// GCC 13's <iostream> emits a call to std::ios_base_library_init() (GLIBCXX_3.4.32) to set up the
// standard streams; libstdc++ 12 sets them up in its own static initialisers, so a no-op is exact.
namespace std {
void ios_base_library_init();
void ios_base_library_init() {}
}
