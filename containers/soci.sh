#!/usr/bin/env bash
# Sourced by ci-build.sh: give an agent image a SOCI index (index manifest v2), so that Fargate lazy-loads it.
#
# The SOCI index manifest v2 flow (awslabs/soci-snapshotter, docs/soci-index-manifest-v2.md; AWS Containers blog,
# "Improving Amazon ECS deployment consistency with SOCI Index Manifest v2"): `soci convert` writes an image index
# that holds the image and its SOCI index, and the tag names that index. Fargate lazy-loads only images indexed
# this way (v1 indexes are no longer honoured). `--standalone` works on an OCI layout, without containerd, which
# the Docker engine of a CodeBuild build does not expose; crane moves the image between ECR and the layout. Both
# tools are downloaded at a pinned version and checked against a pinned SHA-256 before they run.
#
# Pins and how to bump them (containers/README.md): the version, and the SHA-256 of each architecture's release
# archive (soci: the release's <archive>.sha256sum; crane: the release's checksums.txt).

OUTPOST_SOCI_VERSION=0.14.1
declare -A OUTPOST_SOCI_SHA256=(
  [arm64]=c01ecb402ac7930bcfcf6571f76da541d7054626337d7211dac0b11a9bd05ddc
  [amd64]=1a8dba2a14c1ba8b65e0b935ef697e22eb8324759961a65296e656dd724d9441
)
OUTPOST_CRANE_VERSION=0.21.7
declare -A OUTPOST_CRANE_SHA256=(
  [arm64]=b6ee979d9411dfb05ce35ab9e156fe5de7def11a230764a7856ffa2eb971fa88
  [amd64]=1a57bc98207fa1c0d04bf760699099e26f8383499bfd55b99c1b919a928a7230
)

# outpost_machine_arch: the build machine's architecture as the release archives name it.
outpost_machine_arch() {
  case "$(uname -m)" in
    aarch64 | arm64) echo arm64 ;;
    x86_64 | amd64) echo amd64 ;;
    *)
      echo "soci.sh: no pinned SOCI tools for a $(uname -m) machine" >&2
      return 1
      ;;
  esac
}

# outpost_fetch_verified <url> <sha256> <file>: download, and refuse the file unless its SHA-256 is the pinned one.
outpost_fetch_verified() {
  curl --silent --show-error --fail --location --retry 3 -o "$3" "$1"
  if ! printf '%s  %s\n' "$2" "$3" | sha256sum --check --status; then
    echo "soci.sh: $1 does not have the pinned SHA-256 $2; not using it" >&2
    return 1
  fi
}

# outpost_install_soci_tools <dir>: the pinned `soci` and `crane` in <dir>, verified, and <dir> first on PATH.
outpost_install_soci_tools() {
  local dir="$1" arch crane_arch
  arch="$(outpost_machine_arch)"
  crane_arch="$([[ "${arch}" == amd64 ]] && echo x86_64 || echo arm64)"
  mkdir -p "${dir}"
  outpost_fetch_verified \
    "https://github.com/awslabs/soci-snapshotter/releases/download/v${OUTPOST_SOCI_VERSION}/soci-snapshotter-${OUTPOST_SOCI_VERSION}-linux-${arch}.tar.gz" \
    "${OUTPOST_SOCI_SHA256[${arch}]}" "${dir}/soci.tar.gz"
  outpost_fetch_verified \
    "https://github.com/google/go-containerregistry/releases/download/v${OUTPOST_CRANE_VERSION}/go-containerregistry_Linux_${crane_arch}.tar.gz" \
    "${OUTPOST_CRANE_SHA256[${arch}]}" "${dir}/crane.tar.gz"
  # Whole archives: their member paths (`soci` or `./soci`) differ between releases.
  tar -xzf "${dir}/soci.tar.gz" -C "${dir}"
  tar -xzf "${dir}/crane.tar.gz" -C "${dir}"
  rm -f "${dir}/soci.tar.gz" "${dir}/crane.tar.gz"
  local tool
  for tool in soci crane; do
    if [[ ! -x "${dir}/${tool}" ]]; then
      echo "soci.sh: the pinned archive has no ${tool} executable" >&2
      return 1
    fi
  done
  PATH="${dir}:${PATH}"
}

# outpost_push_soci_indexed <source ref> <target ref>: the pushed source image, with its SOCI index (manifest v2),
# pushed as <target ref>. crane uses the registry login `docker login` stored.
outpost_push_soci_indexed() {
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/outpost-soci.XXXXXX")"
  crane pull --format oci "$1" "${work}/image"
  soci convert --standalone --format oci-dir "${work}/image" "${work}/indexed"
  crane push "${work}/indexed" "$2"
  rm -rf "${work}"
}
