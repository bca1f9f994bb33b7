#!/usr/bin/env bash
# Builds the container image from the release archive, without a Docker daemon: a root file system made here
# (jlink'ed runtime, the shared libraries ldd finds for it and for RocksDB's JNI library, a user 10001, /tmp), then
# `buildah bud` FROM scratch in docker format (for its HEALTHCHECK), written as a docker-archive tar.
#   build-image.sh TARGET_DIR VERSION     (TARGET_DIR holds wallet-ledger-VERSION.tar.gz)
set -euo pipefail
target="$1"; version="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$target/image"
rootfs="$work/rootfs"
image="$target/wallet-ledger-$version-image.tar"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

rm -rf "$work" "$image"
mkdir -p "$rootfs/opt" "$rootfs/tmp" "$rootfs/etc" "$work/data"
chmod 1777 "$rootfs/tmp"

tar -xzf "$target/wallet-ledger-$version.tar.gz" -C "$rootfs/opt"
mv "$rootfs/opt/wallet-ledger-$version" "$rootfs/opt/wallet-ledger"

# The modules jdeps finds in the server's jar (found again at every build, so a new dependency cannot be missed),
# and those only reflection reaches: jdk.compiler (Chronicle compiles some code at run time), jdk.crypto.ec (TLS),
# jdk.zipfs, java.net.http.
modules="$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
    "$rootfs/opt/wallet-ledger/lib/wallet-server.jar" | tail -1)"
"$java_home/bin/jlink" --output "$rootfs/opt/java" --strip-debug --no-man-pages --no-header-files \
    --add-modules "$modules,jdk.compiler,jdk.crypto.ec,jdk.zipfs,java.net.http"

# The C libraries: what ldd finds for the runtime (not its desktop libraries, which a headless server never loads)
# and for RocksDB's library, the dynamic loader, and the name-service modules glibc loads for host lookups.
rocksdb="$work/librocksdbjni-linux64.so"
(cd "$work" && "$java_home/bin/jar" xf "$rootfs/opt/wallet-ledger/lib/wallet-server.jar" librocksdbjni-linux64.so)
elves=("$rootfs/opt/java/bin/java" "$rocksdb")
while IFS= read -r library; do elves+=("$library"); done < <(find "$rootfs/opt/java/lib" -name '*.so' \
    ! -name 'libawt*' ! -name 'libfontmanager.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' \
    ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' ! -name 'libjsound.so')
libraries="$(for elf in "${elves[@]}"; do ldd "$elf"; done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
    grep -v "^$rootfs" | sort -u)"
for nss in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
    # awk reads to the end (no early exit): under pipefail, ldconfig must not die of SIGPIPE.
    found="$(ldconfig -p | awk -v name="$nss" '$1 == name && /x86-64/ && !seen { print $NF; seen = 1 }')"
    [ -n "$found" ] && libraries="$libraries"$'\n'"$found"
done
for library in $libraries; do
    mkdir -p "$rootfs$(dirname "$library")"
    cp -L "$library" "$rootfs$library"
done
if [ ! -e "$rootfs/lib64/ld-linux-x86-64.so.2" ]; then
    echo "build-image.sh: no dynamic loader found for the runtime" >&2
    exit 1
fi

cat > "$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
wallet:x:10001:10001:wallet ledger:/data:/sbin/nologin
PASSWD
cat > "$rootfs/etc/group" <<'GROUP'
root:x:0:
wallet:x:10001:
GROUP
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$rootfs/etc/hosts"
cp "$here/Containerfile" "$work/Containerfile"

storage=(--storage-driver vfs --root "$work/storage" --runroot "$work/run")
buildah "${storage[@]}" bud --format docker --isolation chroot --quiet \
    --label "org.opencontainers.image.title=wallet-ledger" \
    --label "org.opencontainers.image.version=$version" \
    -t "localhost/wallet-ledger:$version" -f "$work/Containerfile" "$work"
buildah "${storage[@]}" push --quiet "localhost/wallet-ledger:$version" \
    "docker-archive:$image:localhost/wallet-ledger:$version"
buildah "${storage[@]}" rmi --all --force > /dev/null
rm -rf "$work/storage" "$work/run" "$rocksdb"
echo "container image: $image ($(du -h "$image" | cut -f1))"
