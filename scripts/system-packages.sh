# Debian packages songgate uses (sourced, not executed). Installed only when missing;
# without apt (or root) nothing is installed: the engine falls back where it can
# (`songgate doctor` says which capabilities are absent), and the browser tests skip
# unless SONGGATE_TEST_REQUIRE_BROWSER=1 makes a missing browser a failure.

# What the offline engine uses (scripts/serve and scripts/test).
ENGINE_DEBIAN_PACKAGES=(fluidsynth musescore-general-soundfont-small fluid-soundfont-gm espeak-ng libflite1 ffmpeg fonts-wqy-microhei)
# What only the tests and benchmarks use (scripts/test): the browser the dashboard tests
# drive, and wrk, the load generator of the benchmarks under benchmarks/.
TEST_DEBIAN_PACKAGES=(chromium wrk)

missing_debian_packages() {
    local package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || echo "$package"
    done
}

# install_debian_packages WHAT PACKAGE...: WHAT names them in messages.
install_debian_packages() {
    local what=$1 missing
    shift
    missing=$(missing_debian_packages "$@")
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
        echo "songgate: not installing $what packages $missing (needs apt-get as root)" >&2
        return 0
    fi
    echo "installing Debian packages for the $what: $missing" >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_engine_packages() {
    install_debian_packages engine "${ENGINE_DEBIAN_PACKAGES[@]}"
}

install_test_packages() {
    install_debian_packages tests "${TEST_DEBIAN_PACKAGES[@]}"
}
