#!/usr/bin/env bash
# packaging/build-packages.sh: build the Debian and RPM packages of KernelIpsec.
#
#   packaging/build-packages.sh [--no-publish] [--bin DIR] [--out DIR]
#
# Publishes the NativeAOT binaries with scripts/publish.sh (unless --no-publish),
# then writes, from the version in packaging/VERSION:
#   OUT/kernelipsec_<version>_amd64.deb      (dpkg-deb)
#   OUT/kernelipsec-<version>-1.x86_64.rpm   (rpmbuild)
# OUT defaults to artifacts/packages, DIR to artifacts/bin. Needs no root; when run as
# root it installs missing tools (rpm, dpkg-dev) with apt-get.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
bin=$repo/artifacts/bin
out=$repo/artifacts/packages
publish=1

usage() { sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --no-publish) publish=0 ;;
    --bin) [[ $# -ge 2 ]] || usage; bin=$(realpath -m "$2"); shift ;;
    --out) [[ $# -ge 2 ]] || usage; out=$(realpath -m "$2"); shift ;;
    -h|--help) usage ;;
    *) echo "build-packages: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done

die() { echo "build-packages: $*" >&2; exit 1; }

version=$(tr -d '[:space:]' < "$here/VERSION")
[[ $version =~ ^[0-9]+(\.[0-9]+)*$ ]] || die "packaging/VERSION must hold a plain dotted version, not '$version'"

# Tools: dpkg-deb and dpkg-shlibdeps (dpkg, dpkg-dev), rpmbuild (Debian's rpm package).
missing=()
command -v dpkg-deb >/dev/null || missing+=(dpkg)
command -v dpkg-shlibdeps >/dev/null || missing+=(dpkg-dev)
command -v rpmbuild >/dev/null || missing+=(rpm)
if [[ ${#missing[@]} -gt 0 ]]; then
  [[ $(id -u) -eq 0 ]] || die "missing tools; install them with: sudo apt-get install ${missing[*]}"
  echo "build-packages: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
    die "apt-get install ${missing[*]} failed"
fi

if [[ $publish -eq 1 ]]; then
  "$repo/scripts/publish.sh" >/dev/null || die "scripts/publish.sh failed"
fi
for tool in setkey racoon racoonctl; do
  [[ -x $bin/$tool ]] || die "$bin/$tool is missing: run scripts/publish.sh (or drop --no-publish)"
done

# Reproducible archives: file times from the last commit unless the caller chose.
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

work=$(mktemp -d "${TMPDIR:-/tmp}/kernelipsec-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT

# stage ROOT UNITDIR: the installed file tree, identical for both formats except where
# the distribution keeps systemd units.
stage() {
  local root=$1 unitdir=$2
  install -d -m 0755 "$root/usr/sbin" "$root/etc/racoon" "$root$unitdir" \
    "$root/usr/share/man/man5" "$root/usr/share/man/man8" "$root/usr/share/doc/kernelipsec"
  install -d -m 0700 "$root/etc/racoon/certs"
  for tool in setkey racoon racoonctl; do
    install -m 0755 "$bin/$tool" "$root/usr/sbin/$tool"
  done
  install -m 0644 "$here/etc/ipsec-tools.conf" "$root/etc/ipsec-tools.conf"
  install -m 0644 "$here/etc/racoon/racoon.conf" "$root/etc/racoon/racoon.conf"
  install -m 0600 "$here/etc/racoon/psk.txt" "$root/etc/racoon/psk.txt"
  install -m 0644 "$here/systemd/setkey.service" "$here/systemd/racoon.service" "$root$unitdir/"
  local page section
  for page in "$here"/man/*.[58]; do
    section=${page##*.}
    gzip -9n < "$page" > "$root/usr/share/man/man$section/$(basename "$page").gz"
    chmod 0644 "$root/usr/share/man/man$section/$(basename "$page").gz"
  done
  install -m 0644 "$here/copyright" "$root/usr/share/doc/kernelipsec/copyright"
  find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

mkdir -p "$out"

# ---- .deb
deb_root=$work/deb
stage "$deb_root" /lib/systemd/system
install -d -m 0755 "$deb_root/DEBIAN"
# Debian-only files: lintian's overrides (each with its reason) and the native package's changelog.
install -d -m 0755 "$deb_root/usr/share/lintian/overrides"
install -m 0644 "$here/debian/kernelipsec.lintian-overrides" "$deb_root/usr/share/lintian/overrides/kernelipsec"
changelog_date=$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")
printf 'kernelipsec (%s) unstable; urgency=medium\n\n  * Release %s: drop-in setkey, racoon and racoonctl for ipsec-tools 0.8.2.\n\n -- KernelIpsec developers <packaging@kernelipsec.invalid>  %s\n' \
  "$version" "$version" "$changelog_date" | gzip -9n > "$deb_root/usr/share/doc/kernelipsec/changelog.gz"
chmod 0644 "$deb_root/usr/share/doc/kernelipsec/changelog.gz"
find "$deb_root/usr/share/lintian" "$deb_root/usr/share/doc" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
# Libraries the binaries link (dpkg-shlibdeps), plus OpenSSL, which .NET loads at run
# time (dlopen) for racoon's cryptography, so no linker record shows it.
mkdir -p "$work/shlibs/debian"
printf 'Source: kernelipsec\n\nPackage: kernelipsec\nArchitecture: amd64\n' > "$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$deb_root"/usr/sbin/* 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[[ -n $shlibs ]] || die "dpkg-shlibdeps found no library dependencies in $bin"
depends="$shlibs, libssl3"
installed_size=$(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@DEPENDS@/$depends/" \
  "$here/debian/control.in" > "$deb_root/DEBIAN/control"
install -m 0644 "$here/debian/conffiles" "$deb_root/DEBIAN/conffiles"
install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$deb_root/DEBIAN/"
(cd "$deb_root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum) > "$deb_root/DEBIAN/md5sums"
chmod 0644 "$deb_root/DEBIAN/md5sums"
deb=$out/kernelipsec_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$deb_root" "$deb" >/dev/null

# ---- .rpm
rpm_root=$work/rpm-stage
stage "$rpm_root" /usr/lib/systemd/system
sed -e "s/@VERSION@/$version/" "$here/rpm/kernelipsec.spec.in" > "$work/kernelipsec.spec"
rpmbuild -bb --quiet --target x86_64 \
  --define "_topdir $work/rpmbuild" \
  --define "_rpmdir $out" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  --define "stage $rpm_root" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "clamp_mtime_to_source_date_epoch 1" \
  "$work/kernelipsec.spec" >/dev/null
rpm=$out/kernelipsec-${version}-1.x86_64.rpm
[[ -f $rpm ]] || die "rpmbuild did not produce $rpm"

echo "$deb"
echo "$rpm"
