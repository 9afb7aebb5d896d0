#!/usr/bin/env bash
# Debian 12 compatibility step for TorchSharp 0.107 (run by build/TorchSharpCompat.targets after the
# native assets are copied; safe to run by hand): libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13)
# for one symbol, std::ios_base_library_init(), which Debian 12's libstdc++ (3.4.30) lacks. On the copy
# in a build output folder (never the NuGet cache), this
#   1. marks the GLIBCXX_3.4.32 version requirement weak (VER_FLG_WEAK in .gnu.version_r),
#   2. clears that symbol's version, and
#   3. adds a needed library, libkto_glibcxx_compat.so, that defines the symbol as a no-op.
# It does nothing where the system libstdc++ already provides GLIBCXX_3.4.32, and nothing twice.
# Usage: patch-libtorchsharp.sh FOLDER_WITH_libLibTorchSharp.so
set -euo pipefail
dir="$1"
lib="$dir/libLibTorchSharp.so"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stub_name=libkto_glibcxx_compat.so
[ -f "$lib" ] || exit 0

cache="$(ldconfig -p)"
system_libstdcxx="$(awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }' <<<"$cache")"
if [ -n "$system_libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$system_libstdcxx"; then exit 0; fi
# (Output captured first: grep -q closing a pipe early would fail the pipeline under pipefail.)
dynamic="$(readelf -d "$lib")"
versions="$(readelf -V "$lib")"
if [[ "$dynamic" == *"[$stub_name]"* ]] && [ -f "$dir/$stub_name" ]; then exit 0; fi
if [[ "$versions" != *"Name: GLIBCXX_3.4.32"* ]]; then exit 0; fi

for tool in patchelf g++ readelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error KTO0001: the Debian 12 TorchSharp compatibility step needs '$tool'; run build/bootstrap.sh or apt-get install patchelf g++ binutils" >&2
    exit 1
  fi
done

# Work on a private copy, then rename: the output file may be a hard link into the NuGet cache.
tmp="$(mktemp "$dir/.libLibTorchSharp.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
cp "$lib" "$tmp"

# .gnu.version_r: "Offset: 0x..." of the section, then "0x0140:   Name: GLIBCXX_3.4.32  Flags: none";
# an Elf64_Vernaux is vna_hash (4 bytes), vna_flags (2 bytes, little-endian), ...; VER_FLG_WEAK = 0x2.
section_offset=$(readelf -V "$tmp" | awk '/Version needs section/ { getline; for (i = 1; i <= NF; i++) if ($i == "Offset:") { print $(i + 1); exit } }')
entry_offset=$(readelf -V "$tmp" | awk '/Name: GLIBCXX_3\.4\.32/ { sub(":", "", $1); print $1; exit }')
flags_offset=$(( section_offset + entry_offset + 4 ))
printf '\x02\x00' | dd of="$tmp" bs=1 seek="$flags_offset" conv=notrunc status=none
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$tmp"
patchelf --add-needed "$stub_name" "$tmp"

g++ -shared -fPIC -O2 -o "$dir/$stub_name.tmp" "$here/glibcxx_compat.cpp"
mv "$dir/$stub_name.tmp" "$dir/$stub_name"
chmod --reference="$lib" "$tmp"
mv "$tmp" "$lib"
trap - EXIT
