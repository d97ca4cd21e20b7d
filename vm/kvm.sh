#!/usr/bin/env bash
# vm/kvm.sh: run one command as root inside a throwaway VM that boots Debian's stock kernel
# (linux-image-amd64: ESP, AH, IPComp, PF_KEY, XFRM as modules), so the Vm test tier and the
# demo get a real IPsec kernel on any Debian host, including hosts whose own kernel lacks IPsec.
#
#   vm/kvm.sh [--timeout SECONDS] [--mem MB] [--share DIR]... -- COMMAND...
#
# How: qemu (software emulation by default; KERNELIPSEC_VM_ACCEL=kvm to try KVM) boots the
# kernel with a tiny busybox initramfs that mounts the host's root filesystem read-only over
# virtio-9p, puts tmpfs on /tmp /run /var/tmp, mounts the repository (and every --share DIR)
# read-write at the same path, and switch_roots into it, so every host program runs unchanged
# and the kernel autoloads its modules from the host's /lib/modules.
# COMMAND runs under bash in the repository directory with KERNELIPSEC_IN_VM=1; its output
# streams here (stdout and stderr merged); the exit status is COMMAND's (124: timed out,
# 125: the VM died before COMMAND finished). Needs root and vm/install-deps.sh's packages.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
timeout_s=1800; mem_mb=3072; shares=("$repo")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) timeout_s=$2; shift 2;;
    --mem) mem_mb=$2; shift 2;;
    --share) shares+=("$(cd "$2" && pwd)"); shift 2;;
    --) shift; break;;
    -h|--help) sed -n '2,17p' "$0"; exit 0;;
    *) break;;
  esac
done
[[ $# -gt 0 ]] || { echo "vm/kvm.sh: no command (see --help)" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "vm/kvm.sh: needs root (9p passthrough of the host root)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "vm/kvm.sh: qemu-system-x86_64 missing: run vm/install-deps.sh" >&2; exit 2; }

# The newest installed kernel image whose modules are present.
kver=
for image in $(ls /boot/vmlinuz-* 2>/dev/null | sort -V); do
  v=${image#/boot/vmlinuz-}
  [[ -d /lib/modules/$v/kernel/net/xfrm ]] && kver=$v
done
[[ -n $kver ]] || { echo "vm/kvm.sh: no /boot/vmlinuz-* with IPsec modules: run vm/install-deps.sh" >&2; exit 2; }

cache=${KERNELIPSEC_VM_CACHE:-/var/cache/kernelipsec-vm}
mkdir -p "$cache"
initrd=$cache/initrd-$kver-1.gz
if [[ ! -s $initrd ]]; then
  # Only what mounting 9p needs goes into the initramfs; everything else loads from the host root.
  stage=$(mktemp -d)
  mkdir -p "$stage"/{bin,lib/mods,proc,sys,dev,newroot}
  cp "$(command -v busybox)" "$stage/bin/busybox"
  order=()
  for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p; do
    ko=$(find "/lib/modules/$kver/kernel" -name "$m.ko*" | head -1)
    [[ -n $ko ]] || continue   # built into this kernel
    case $ko in
      *.ko.xz) xz -dc "$ko";; *.ko.zst) zstd -dcq "$ko";; *.ko.gz) gzip -dc "$ko";; *) cat "$ko";;
    esac > "$stage/lib/mods/$m.ko"
    order+=("$m")
  done
  {
    echo '#!/bin/busybox sh'
    echo '/bin/busybox --install -s /bin'
    echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
    echo "for m in ${order[*]}; do insmod /lib/mods/\$m.ko; done"
    cat <<'INIT'
opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o ro,$opts,cache=loose hostroot /newroot || { echo "vm: cannot mount the host root"; poweroff -f; }
for d in tmp run var/tmp; do mount -t tmpfs tmpfs /newroot/$d; done
mkdir -p /newroot/run/kernelipsec-vm
mount -t 9p -o $opts control /newroot/run/kernelipsec-vm
n=0
while read -r dir; do
  mount -t 9p -o $opts share$n "/newroot$dir" || echo "vm: cannot share $dir"
  n=$((n+1))
done < /newroot/run/kernelipsec-vm/shares
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /bin/bash /run/kernelipsec-vm/guest.sh
INIT
  } > "$stage/init"
  chmod 755 "$stage/init"
  (cd "$stage" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$stage"
fi

control=$(mktemp -d /var/tmp/kernelipsec-vm.XXXXXX)
trap 'rm -rf "$control"' EXIT
printf '%s\n' "${shares[@]}" > "$control/shares"
printf '%s\n' "$*" > "$control/command"
cat > "$control/guest.sh" <<GUEST
# Runs as PID 1 in the guest after switch_root.
mount -t proc proc /proc; mount -t sysfs sys /sys
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
ln -sf /proc/self/fd /dev/fd; ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout; ln -sf /proc/self/fd/2 /dev/stderr
stty -F /dev/ttyS1 raw -echo -onlcr 2>/dev/null
export HOME=/tmp PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
export TERM=dumb NO_COLOR=1 DOTNET_SKIP_WORKLOAD_INTEGRITY_CHECK=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 KERNELIPSEC_IN_VM=1
ip link set lo up
# Load the IPsec modules once, in one modprobe run (each modprobe start over 9p is slow).
modprobe -a xfrm_user af_key esp4 esp6 ah4 ah6 ipcomp ipcomp6 xfrm4_tunnel xfrm6_tunnel tunnel4 tunnel6 \
  xfrm_ipcomp veth dummy nf_conntrack nf_nat nf_tables nft_chain_nat nft_masq nft_nat nft_ct nf_conntrack_netlink \
  2>/dev/null
# The kernel loads and self-tests a cipher's modules on the first SA that uses it, which takes
# seconds under emulation; pay that once here so negotiation timings in tests are steady.
modprobe -a des_generic des3_ede_x86_64 cbc hmac md5 sha1_generic sha256_generic sha512_generic \
  authenc authencesn echainiv seqiv gcm ghash_generic ctr deflate camellia_generic cast5_generic \
  blowfish_generic twofish_generic xcbc ccm cmac aesni_intel 2>/dev/null
# The first SA of an algorithm combination also instantiates its template (authenc(hmac(sha1),cbc(aes)))
# and self-tests it, asking modprobe over 9p for names that are no modules: on a loaded host that took
# pluto past the kernel's 30 s larval-SA expiry ("Add SA ...: No such process"). The instances stay
# registered, so create the rig's combinations once here, in a throwaway namespace.
k16=0x000102030405060708090a0b0c0d0e0f; k20=\${k16}10111213; k24=\${k20}14151617; k32=\${k24}18191a1b1c1d1e1f
ip netns add kernelipsec-warmup 2>/dev/null
for alg in "enc cbc(aes) \$k16 auth-trunc hmac(sha1) \$k20 96" "enc cbc(des3_ede) \$k24 auth-trunc hmac(sha1) \$k20 96" \
           "enc cbc(aes) \$k32 auth-trunc hmac(sha256) \$k32 128" "enc cbc(aes) \$k32 auth-trunc hmac(sha256) \$k32 96"; do
  ip -n kernelipsec-warmup xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 mode transport \$alg 2>/dev/null
  ip -n kernelipsec-warmup xfrm state flush 2>/dev/null
done
ip netns del kernelipsec-warmup 2>/dev/null
cd "$repo"
bash -c "\$(cat /run/kernelipsec-vm/command)" > /dev/ttyS1 2>&1 < /dev/null
echo \$? > /run/kernelipsec-vm/rc
sync
echo o > /proc/sysrq-trigger
sleep 30
GUEST

console=${KERNELIPSEC_VM_CONSOLE:-$control/console.log}
fsdevs=(-virtfs "local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap"
        -virtfs "local,path=$control,mount_tag=control,security_model=passthrough,multidevs=remap")
n=0
for d in "${shares[@]}"; do
  fsdevs+=(-virtfs "local,path=$d,mount_tag=share$n,security_model=passthrough,multidevs=remap")
  n=$((n+1))
done
accel=${KERNELIPSEC_VM_ACCEL:-tcg}
cpu=max; [[ $accel == kvm ]] && cpu=host
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -m "$mem_mb" -smp "$(nproc)" \
  -display none -monitor none -no-reboot -nic none \
  -kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
  -append "console=ttyS0 quiet panic=-1 8250.nr_uarts=2" \
  -serial "file:$console" -serial stdio "${fsdevs[@]}" < /dev/null
qemu_rc=$?
set -e
if [[ -s $control/rc ]]; then rc=$(cat "$control/rc")
elif [[ $qemu_rc -eq 124 ]]; then rc=124; echo "vm/kvm.sh: the VM ran past ${timeout_s}s" >&2
else rc=125; echo "vm/kvm.sh: the VM stopped before the command finished (qemu exit $qemu_rc)" >&2
fi
if [[ $rc -ne 0 && -z ${KERNELIPSEC_VM_CONSOLE:-} ]]; then
  echo "vm/kvm.sh: exit $rc; last kernel messages:" >&2
  tail -20 "$console" >&2
fi
exit "$rc"
