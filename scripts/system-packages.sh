# Debian packages the offline engine uses (sourced, not executed). Installed only
# when missing; without apt (or root) the engine falls back where it can and
# `songgate doctor` says which capabilities are absent.

ENGINE_DEBIAN_PACKAGES=(fluidsynth fluid-soundfont-gm espeak-ng ffmpeg fonts-wqy-microhei)

missing_engine_packages() {
    local package
    for package in "${ENGINE_DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || echo "$package"
    done
}

install_engine_packages() {
    local missing
    missing=$(missing_engine_packages)
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
        echo "songgate: not installing $missing (needs apt-get as root); the engine will fall back" >&2
        return 0
    fi
    echo "installing Debian packages: $missing" >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
