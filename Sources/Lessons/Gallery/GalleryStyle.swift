/// The one stylesheet of the gallery, inlined into every page so a page opened from the
/// file system needs nothing else: a readable column (~980 px) in the system font, figures
/// as wide as the column, tables and code set apart. No web fonts, no external files.
enum GalleryStyle {
    static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f6f6f4; color: #222;
      font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 980px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; min-height: 100vh; }
    h1 { font-size: 2.1em; line-height: 1.2; margin: 0.4em 0 0.2em; }
    h2 { font-size: 1.45em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #e3e3e3; }
    h3 { font-size: 1.15em; margin: 1.3em 0 0.4em; }
    a { color: #0b62a8; }
    .crumbs { font-size: 0.9em; margin: 0; }
    .summary { font-size: 1.15em; color: #444; margin: 0.2em 0 0.4em; }
    .meta { color: #666; margin: 0; }
    table { border-collapse: collapse; margin: 1em 0; width: 100%; font-size: 0.93em; }
    th, td { border-bottom: 1px solid #e3e3e3; padding: 6px 10px; text-align: left; vertical-align: top; }
    th { background: #f1f1ef; }
    table.results th { width: 32%; background: none; font-weight: 600; }
    /* a run name or a header never breaks inside a word; the column widens instead */
    table.runs th, table.runs td { hyphens: manual; overflow-wrap: normal; word-break: normal; }
    p.note { color: #555; font-size: 0.9em; margin-top: -0.6em; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em;
      background: #f1f1ef; padding: 0.1em 0.3em; border-radius: 3px; }
    pre { background: #f1f1ef; padding: 12px; overflow-x: auto; border-radius: 4px; }
    pre code { background: none; padding: 0; }
    figure { margin: 2em 0; }
    figure img { display: block; width: 100%; height: auto; border: 1px solid #e3e3e3; }
    figcaption { color: #555; font-size: 0.95em; margin-top: 0.5em; }
    p.formats { font-size: 0.85em; color: #666; margin: 0.2em 0 0; }
    .slider { display: flex; align-items: center; gap: 12px; margin-top: 0.4em; }
    .slider[hidden] { display: none; }
    .slider input { flex: 1; }
    .slider output { min-width: 12em; color: #333; font-variant-numeric: tabular-nums; }
    .runs { list-style: none; padding: 0; display: grid; gap: 20px;
      grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
    .runs li { border: 1px solid #e3e3e3; border-radius: 6px; padding: 12px; background: #fff; }
    .runs img { display: block; width: 100%; height: 170px; object-fit: contain; background: #fff;
      border: 1px solid #eee; }
    .runs h2 { font-size: 1.1em; margin: 0.6em 0 0.2em; border: none; padding: 0; }
    .runs p { margin: 0; color: #555; font-size: 0.92em; }
    .placeholder { height: 170px; background: #f1f1ef; display: flex; align-items: center;
      justify-content: center; color: #888; }
    """
}
