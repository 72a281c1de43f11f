// glibcxx_compat.cpp: lets TorchSharp's libLibTorchSharp.so load where libstdc++ predates GCC 13.
//
// libLibTorchSharp.so (TorchSharp 0.107) was linked with GCC 13 and uses exactly one symbol of
// version GLIBCXX_3.4.32: std::ios_base_library_init(). GCC 13's <iostream> references that
// (empty) function instead of defining a per-file static std::ios_base::Init; the reference only
// forces linking against a libstdc++ that initialises the standard streams itself. Debian 12 and
// Ubuntu 22.04 ship libstdc++ up to GLIBCXX_3.4.30, so the dynamic loader refuses the library.
//
// The build (build/NativeCompat.targets, src/Runner.NativeCompat) marks the GLIBCXX_3.4.32 need
// WEAK in the output folder's copy of libLibTorchSharp.so and compiles this file into
// libglibcxx_compat.so; Runner dlopens it with RTLD_NOW|RTLD_GLOBAL before TorchSharp's first
// call. The weak need alone lets the loader accept the library (no relocation uses the symbol);
// this shim supplies the definition it names and, above all, what that reference stood for:
// initialised standard streams. Never built where the system libstdc++ is new enough.
#include <ios>

namespace {
// What GCC 13 relied on libstdc++ for: std::cout and friends are constructed before use.
// Reference-counted by libstdc++, so harmless if the streams already exist.
std::ios_base::Init ios_init;
}

// std::ios_base_library_init(), named by its mangled symbol so that no GCC 13 header is needed.
// Unversioned, default visibility: it satisfies the (now weak) GLIBCXX_3.4.32 reference.
extern "C" __attribute__((visibility("default"))) void
glibcxx_compat_ios_base_library_init() __asm__("_ZSt21ios_base_library_initv");

extern "C" void glibcxx_compat_ios_base_library_init() {}
