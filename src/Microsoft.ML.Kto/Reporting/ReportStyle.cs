namespace Microsoft.ML.Kto.Reporting;

/// <summary>The report's stylesheet, inlined so the page is one file that opens offline and can be attached anywhere.</summary>
internal static class ReportStyle
{
    /// <summary>CSS for the page; charts style themselves with SVG attributes so they also read when copied out.</summary>
    public const string Css = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1280px; padding: 0 1rem; color: #222; background: #fff; }
        h1 { font-size: 1.6rem; margin-bottom: 1rem; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
        table { border-collapse: collapse; margin: .5rem 0; }
        th, td { border: 1px solid #ddd; padding: .35rem .6rem; text-align: left; vertical-align: top; }
        th { background: #f6f6f6; font-weight: 600; }
        table.pairs th { white-space: nowrap; }
        table.samples { width: 100%; table-layout: fixed; }
        table.samples td { white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .85rem; }
        table.samples th.index, table.samples td.index { width: 2.5rem; text-align: right; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 1rem; }
        .charts svg { width: 100%; height: auto; border: 1px solid #eee; border-radius: 4px; background: #fff; }
        .badge { display: inline-block; font-family: system-ui, sans-serif; font-size: .75rem; font-weight: 600; padding: .05rem .45rem; border-radius: .6rem; margin-bottom: .3rem; background: #e8e8e8; color: #333; white-space: nowrap; }
        .badge.good { background: #d9f2dc; color: #1d6b2a; }
        .badge.bad { background: #fbdcdc; color: #8f1d1d; }
        .empty { color: #777; font-style: italic; }
        """;
}
