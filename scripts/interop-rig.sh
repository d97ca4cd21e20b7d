# interop-rig.sh - sourced by the capture scripts that drive the IKEv1 interop rig (strongSwan and libreswan
# peers in network namespaces; see its README.md). The rig is not part of this repository: it lives beside it, in
# ../shared/interop relative to the main checkout, or wherever KERNELIPSEC_INTEROP_DIR points.
# Sets REPO_ROOT and INTEROP_DIR, sources the rig's lib.sh and variants.sh, and lets the rig run under the
# repository's own VM (vm/kvm.sh sets KERNELIPSEC_IN_VM=1; the rig asks for KVM_RUN_GUEST or IKEV1_RIG_FORCE).

REPO_ROOT=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null \
  || (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd))

interop_dir() {
  if [[ -n ${KERNELIPSEC_INTEROP_DIR:-} ]]; then
    echo "$KERNELIPSEC_INTEROP_DIR"
    return
  fi
  # a linked worktree sits elsewhere: the main checkout is the parent of the common git directory
  local main
  main=$(dirname "$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || echo "$REPO_ROOT/.git")")
  local d
  for d in "$REPO_ROOT/../shared/interop" "$main/../shared/interop"; do
    if [[ -f $d/lib.sh && -f $d/variants.sh ]]; then
      (cd "$d" && pwd)
      return
    fi
  done
  echo "$REPO_ROOT/../shared/interop"
}

INTEROP_DIR=$(interop_dir)
if [[ ! -f $INTEROP_DIR/lib.sh || ! -f $INTEROP_DIR/variants.sh ]]; then
  echo "interop-rig.sh: no IKEv1 interop rig at $INTEROP_DIR (lib.sh, variants.sh):" \
    "put it at ../shared/interop beside the repository or set KERNELIPSEC_INTEROP_DIR" >&2
  exit 2
fi
[[ ${KERNELIPSEC_IN_VM:-} == 1 ]] && export IKEV1_RIG_FORCE=1
# shellcheck source=/dev/null
source "$INTEROP_DIR/lib.sh"
# shellcheck source=/dev/null
source "$INTEROP_DIR/variants.sh"
