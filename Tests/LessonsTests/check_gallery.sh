#!/usr/bin/env bash
# Loads output/index.html and every output/NAME/index.html in headless Chromium (Debian's
# `chromium`) and reports each image the browser could not load (naturalWidth 0 after
# load). On each frame series (`figure.series`) it checks that the page's script showed
# the slider, moves the slider to the last frame, and checks that the image changed, the
# new frame loaded and the label followed. Exit status: 0 all images load and every slider
# works, 1 a broken image, a dead slider or a page that could not be
# checked (including one the browser did not finish within the time limit), 2 usage,
# 77 no browser or no `timeout` installed (the automake "skipped" code).
#
#   Tests/LessonsTests/check_gallery.sh output
#
# Each page gets CHECK_GALLERY_TIMEOUT seconds (default 60) in the browser; a page whose
# script never returns would otherwise keep headless Chromium waiting forever. `timeout`
# signals the browser's whole process group, so its helper processes end with it.
#
# Each page is opened in an iframe of a small probe page; --allow-file-access-from-files
# lets the probe read the iframe's document from file://, as a student's browser would
# open it (no server).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 OUTPUT_DIR" >&2
    exit 2
fi
out=$(cd "$1" && pwd)
limit=${CHECK_GALLERY_TIMEOUT:-60}
if ! [[ "$limit" =~ ^[1-9][0-9]*$ ]]; then
    echo "CHECK_GALLERY_TIMEOUT must be a whole number of seconds, got '$limit'" >&2
    exit 2
fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "skipped: no chromium installed (apt-get install -y chromium)" >&2
    exit 77
fi
if ! command -v timeout >/dev/null; then
    echo "skipped: no timeout command (GNU coreutils) to bound the browser" >&2
    exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work" 2>/dev/null || true' EXIT

file_url() { python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$1"; }

check_page() {
    local page=$1 url
    url=$(file_url "$page")
    cat > "$work/probe.html" <<HTML
<!DOCTYPE html><html><body><pre id="result">RESULT none (page did not load)</pre>
<iframe id="page" src="$url" style="width:1000px;height:900px"></iframe>
<script>
const frame = document.getElementById('page');
const show = (text) => { document.getElementById('result').textContent = 'RESULT ' + text; };
frame.onload = () => {
  const doc = frame.contentDocument;
  if (!doc) { show('none (cannot read the page document)'); return; }
  const images = Array.from(doc.images);
  const settled = images.map(img => img.complete ? Promise.resolve()
    : new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); }));
  Promise.all(settled).then(() => {
    const broken = images.filter(img => img.naturalWidth === 0).map(img => img.getAttribute('src'));
    return slideAll(doc).then(sliders => {
      show('images=' + images.length + ' broken=' + broken.length + (broken.length ? ' ' + broken.join(' ') : '')
        + ' ' + sliders);
    });
  });
};
// Moves every series' slider to its last frame, as a student dragging it would.
function slideAll(doc) {
  const series = Array.from(doc.querySelectorAll('figure.series'));
  const failed = [];
  const checks = series.map(figure => {
    const img = figure.querySelector('img'), range = figure.querySelector('input[type=range]');
    const label = figure.querySelector('.slider output'), controls = figure.querySelector('.slider');
    if (!img || !range || !label || controls.hidden) { failed.push(figure.id + ':no-slider'); return Promise.resolve(); }
    const before = img.src, beforeLabel = label.textContent;
    range.value = range.max;
    range.dispatchEvent(new frame.contentWindow.Event('input', { bubbles: true }));
    return new Promise(done => {
      const settle = () => {
        if (img.src === before || label.textContent === beforeLabel) failed.push(figure.id + ':unchanged');
        else if (img.naturalWidth === 0) failed.push(figure.id + ':broken-frame');
        done();
      };
      if (img.complete) settle(); else { img.addEventListener('load', settle); img.addEventListener('error', settle); }
    });
  });
  return Promise.all(checks).then(() => 'series=' + series.length
    + (failed.length ? ' slider-failed ' + failed.join(' ') : ' sliders=ok'));
}
</script></body></html>
HTML
    local dom line status=0
    dom=$(timeout --kill-after=5 "$limit" "$browser" --headless --disable-gpu --no-sandbox \
        --allow-file-access-from-files --user-data-dir="$work/profile" --virtual-time-budget=10000 \
        --dump-dom "$(file_url "$work/probe.html")" 2>/dev/null) || status=$?
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        echo "${page#"$out"/}: timed out after ${limit} s (a script on the page that never returns?)"
        return 1
    fi
    line=$(printf '%s\n' "$dom" | grep -o 'RESULT [^<]*' | head -n 1 || true)
    echo "${page#"$out"/}: ${line#RESULT }"
    case "$line" in
        "RESULT images="*" broken=0 series="*" sliders=ok") return 0 ;;
        *) return 1 ;;
    esac
}

status=0
pages=0
for page in "$out/index.html" "$out"/*/index.html; do
    [ -f "$page" ] || continue
    pages=$((pages + 1))
    check_page "$page" || status=1
done
if [ "$pages" -eq 0 ]; then
    echo "no index.html found under $out" >&2
    exit 1
fi
exit $status
