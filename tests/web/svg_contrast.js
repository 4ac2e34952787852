// WCAG contrast of the charts, which axe-core leaves "incomplete" (it cannot tell the
// background of SVG text): every visible SVG text against what is drawn under it (a bar,
// an area, or the page), 4.5:1 (3:1 from 24 px); every series line, bar and flow band
// against the page, 3:1 (non-text contrast, WCAG 1.4.11).
() => {
  const parse = (css) => {
    const m = css && css.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const v = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1};
  };
  const luminance = (c) => {
    const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const pageBackground = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.99) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const opaque = (e) => {
    const s = getComputedStyle(e);
    return parseFloat(s.opacity) > 0.99 && parseFloat(s.fillOpacity) > 0.99;
  };
  const under = (t) => {  // the first opaque shape drawn under the middle of the text
    const box = t.getBoundingClientRect();
    for (const e of document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)) {
      if (e === t || ["svg", "text", "tspan", "title", "a"].includes(e.tagName)) continue;
      if (!["rect", "path", "circle", "polygon"].includes(e.tagName)) break;
      const fill = parse(getComputedStyle(e).fill);
      if (fill && fill.a > 0.99 && opaque(e)) return fill;
    }
    return pageBackground(t);
  };
  const failures = [];
  let texts = 0, marks = 0;
  for (const t of document.querySelectorAll("svg text")) {
    if (!t.textContent.trim() || t.getClientRects().length === 0) continue;
    if (t.getBoundingClientRect().width === 0) continue;
    t.scrollIntoView({block: "center", inline: "center"});
    texts++;
    const need = parseFloat(getComputedStyle(t).fontSize) >= 24 ? 3 : 4.5;
    const r = ratio(parse(getComputedStyle(t).fill), under(t));
    if (r < need) failures.push(`text "${t.textContent.slice(0, 30)}": ${r.toFixed(2)} < ${need}`);
  }
  for (const m of document.querySelectorAll("svg .series, svg .bar, svg path.flow")) {
    if (m.getClientRects().length === 0) continue;
    marks++;
    const s = getComputedStyle(m);
    const colour = parse(s.fill === "none" ? s.stroke : s.fill);
    if (!colour) continue;
    const r = ratio(colour, pageBackground(m));
    if (r < 3) failures.push(`${m.tagName}.${m.getAttribute("class")}: ${r.toFixed(2)} < 3`);
  }
  return {texts, marks, failures};
}
