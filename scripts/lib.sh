# Shared by scripts/test and scripts/memcheck: repo paths, test services, the phpt runner.
# Sourced, not executed; callers set -euo pipefail themselves.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the functions' results are variables the callers read

TALLY_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TALLY_SERVICES_DEFAULT_DIR="$TALLY_REPO/.services"
# The extension the suites load: modules/tally.so (the in-tree build, hiredis 0.14 on
# Debian 12), or another build such as the hiredis 1.x flavour (scripts/setup --hiredis1).
TALLY_SO="${TALLY_SO:-$TALLY_REPO/modules/tally.so}"
TALLY_HIREDIS1_DIR="$TALLY_REPO/build/hiredis1"

tally_say() {
    printf '==> %s\n' "$*" >&2
}

# Installs Debian packages, after apt-get update, as root or through sudo.
tally_apt_install() {
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

# Starts Redis, MariaDB and PostgreSQL in DIR (wiping earlier data so every run starts clean), stops
# them when the calling shell exits, and exports the TALLY_TEST_* variables.
tally_services_up() {
    local dir="$1"
    bash "$TALLY_REPO/scripts/services" start --fresh --cluster "$dir" >/dev/null
    # The trap is set only after a successful start: a failed start cleans up after itself.
    # shellcheck disable=SC2064 # expand dir now, not at exit
    trap "bash '$TALLY_REPO/scripts/services' stop '$dir' >/dev/null 2>&1 || true" EXIT
    # shellcheck disable=SC1091
    . "$dir/env"
    tally_say "services: redis 127.0.0.1:$TALLY_TEST_REDIS_PORT, mariadb 127.0.0.1:$TALLY_TEST_MYSQL_PORT, postgresql 127.0.0.1:$TALLY_TEST_PGSQL_PORT (state in $dir)"
}

# Installs the composer dependencies (vendor/: Laravel, PHPUnit) when vendor/ is missing or
# older than composer.json. Offline-capable: composer reads the registry its config names.
tally_vendor() {
    local so="$TALLY_SO"
    [ -f "$so" ] || bash "$TALLY_REPO/scripts/setup"
    if [ ! -d "$TALLY_REPO/vendor" ] || [ "$TALLY_REPO/composer.json" -nt "$TALLY_REPO/vendor/autoload.php" ]; then
        # composer checks ext-tally against the running PHP: give it the built extension.
        (cd "$TALLY_REPO" && php -d extension="$so" "$(command -v composer)" install --no-interaction --no-progress)
        touch "$TALLY_REPO/vendor/autoload.php"
    fi
}

# The package's dependencies against another Laravel major (composer.json allows 11 and 12;
# vendor/ holds the newest): build/laravel-<major>/vendor, from composer.json with only
# laravel/framework's constraint changed. Prints the vendor directory.
tally_vendor_laravel() {
    local major="$1" dir="$TALLY_REPO/build/laravel-$1" so="$TALLY_SO"
    [ -f "$so" ] || bash "$TALLY_REPO/scripts/setup" >&2
    mkdir -p "$dir"
    if [ ! -f "$dir/vendor/autoload.php" ] || [ "$TALLY_REPO/composer.json" -nt "$dir/vendor/autoload.php" ]; then
        php -r '
            [, $src, $dst, $major] = $argv;
            $c = json_decode(file_get_contents($src), true, 512, JSON_THROW_ON_ERROR);
            $c["require-dev"]["laravel/framework"] = "^$major.0";
            $up = fn (string $p): string => "../../$p";
            $c["autoload"]["psr-4"] = array_map($up, $c["autoload"]["psr-4"]);
            $c["autoload-dev"]["psr-4"] = array_map($up, $c["autoload-dev"]["psr-4"]);
            foreach ($c["repositories"] ?? [] as $i => $r) {
                if ($r["type"] === "path") $c["repositories"][$i]["url"] = $up($r["url"]);
            }
            file_put_contents($dst, json_encode($c, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
        ' "$TALLY_REPO/composer.json" "$dir/composer.json" "$major"
        (cd "$dir" && php -d extension="$so" "$(command -v composer)" update --no-interaction --no-progress >&2)
        touch "$dir/vendor/autoload.php"
    fi
    printf '%s\n' "$dir/vendor"
}

# The phpt files of the whole suite for the build TALLY_SO names, one per line: tests/*.phpt
# and tests/cluster/, plus tests/tls/ on a build with TLS or tests/notls/ on one without
# (each directory's tests are about that build). scripts/test and scripts/memcheck both run
# exactly these.
tally_phpt_suite_targets() {
    find "$TALLY_REPO/tests" -maxdepth 1 -name '*.phpt' | sort
    printf '%s\n' "$TALLY_REPO/tests/cluster"
    # Not grep -q: it would stop reading at the match, php would die of SIGPIPE writing the
    # rest, and under pipefail the build would then count as one without TLS.
    if php -n -d extension="$TALLY_SO" --ri tally 2>/dev/null | grep '^TLS support => enabled' >/dev/null; then
        printf '%s\n' "$TALLY_REPO/tests/tls"
    else
        printf '%s\n' "$TALLY_REPO/tests/notls"
    fi
}

# Value of one "Tests <label> : N" line of a run-tests.php summary (0 when absent).
tally_summary_count() {
    local label="$1" log="$2" n
    n="$(sed -n "s/^Tests $label *: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1)"
    printf '%s\n' "${n:-0}"
}

# Runs run-tests.php over the given phpt files/dirs (default: tests/) with the built
# extension, the way `make test` does but without the system php.ini: the
# extension_dir stays PHP's own, so a test may ask for system extensions in an
# --EXTENSIONS-- section (e.g. pdo_sqlite; mysqlnd before mysqli).
# Extra run-tests flags go before a `--`: tally_run_phpt -m -- tests/ (absolute paths:
# the runner works in the repo root).
# Sets phpt_passed, phpt_failed, phpt_skipped, phpt_leaked and the array
# phpt_skipped_list ("title [file] reason: ..." each). Returns non-zero only when the runner itself broke.
tally_run_phpt() {
    local flags=() targets=() log rc=0
    while [ "$#" -gt 0 ]; do
        if [ "$1" = "--" ]; then
            shift
            targets=("$@")
            break
        fi
        flags+=("$1")
        shift
    done
    [ "${#targets[@]}" -gt 0 ] || targets=("$TALLY_REPO/tests")

    phpt_passed=0 phpt_failed=0 phpt_skipped=0 phpt_leaked=0 phpt_skipped_list=()

    if [ -z "$(find "${targets[@]}" -name '*.phpt' -print -quit)" ]; then
        tally_say "phpt: no .phpt files in ${targets[*]}"
        return 0
    fi
    if [ ! -f "$TALLY_SO" ] || [ ! -f "$TALLY_REPO/run-tests.php" ]; then
        tally_say "phpt: $TALLY_SO or run-tests.php missing: run scripts/setup"
        return 1
    fi

    log="$(mktemp)"
    (
        cd "$TALLY_REPO"
        export NO_INTERACTION=1 REPORT_EXIT_STATUS=1
        export TEST_PHP_EXECUTABLE TEST_PHP_SRCDIR="$TALLY_REPO"
        TEST_PHP_EXECUTABLE="$(command -v php)"
        php -n run-tests.php -n -q --no-color --no-progress --show-diff -j2 \
            -d "extension=$TALLY_SO" "${flags[@]}" "${targets[@]}"
    ) 2>&1 | tee "$log" || rc=$?

    if ! grep -q '^Tests passed' "$log"; then
        tally_say "phpt: run-tests.php ended (exit $rc) without a summary"
        rm -f "$log"
        return 1
    fi
    phpt_passed="$(tally_summary_count passed "$log")"
    phpt_skipped="$(tally_summary_count skipped "$log")"
    phpt_leaked="$(tally_summary_count leaked "$log")"
    # Borked (unparsable) and warned tests are failures too: nothing gets waved through.
    phpt_failed=$(( $(tally_summary_count failed "$log") + $(tally_summary_count borked "$log") \
        + $(tally_summary_count warned "$log") + phpt_leaked ))
    mapfile -t phpt_skipped_list < <(sed -n 's/^SKIP //p' "$log")
    rm -f "$log"
}

# Runs a test command whose output ends with a plain "N passed, N failed" line and sets
# plain_passed, plain_failed from it. Returns non-zero when there is no such line, or
# when the command failed while claiming no failure.
tally_run_plain() {
    local log rc=0 line
    log="$(mktemp)"
    "$@" 2>&1 | tee "$log" || rc=$?
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)"
    rm -f "$log"
    if ! [[ "$line" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        tally_say "$*: ended (exit $rc) without an 'N passed, N failed' line"
        return 1
    fi
    plain_passed="${BASH_REMATCH[1]}"
    plain_failed="${BASH_REMATCH[2]}"
    if [ "$rc" -ne 0 ] && [ "$plain_failed" -eq 0 ]; then
        tally_say "$*: exit $rc although it reported no failure"
        return 1
    fi
}

# Prints its arguments as absolute paths, one per line (before a script changes directory).
tally_abs_paths() {
    local path
    for path in "$@"; do
        realpath -e -- "$path"
    done
}

# Prints the closing line CI reads: "N passed, N failed[, N skipped]".
tally_print_total() {
    local passed="$1" failed="$2" skipped="$3"
    if [ "$skipped" -gt 0 ]; then
        printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
    else
        printf '%d passed, %d failed\n' "$passed" "$failed"
    fi
}
