/* plekken — a drawing canvas for a symbol: pointer events (finger, pen or mouse), a few pen
 * colours and widths, undo and clear. The drawing is kept as strokes, so it can be redrawn,
 * undone, saved in the draft and sent as a PNG.
 */

export function installDrawing(canvas, { onChange } = {}) {
  const ctx = canvas.getContext("2d");
  const pen = { colour: "#1b1b1b", width: 14 };
  let strokes = [];
  let current = null;

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [
      Math.round(((event.clientX - box.left) / box.width) * canvas.width),
      Math.round(((event.clientY - box.top) / box.height) * canvas.height),
    ];
  }

  function paint(stroke) {
    ctx.strokeStyle = stroke.colour;
    ctx.fillStyle = stroke.colour;
    ctx.lineWidth = stroke.width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    const [first, ...rest] = stroke.points;
    ctx.beginPath();
    if (!rest.length) {
      ctx.arc(first[0], first[1], stroke.width / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    ctx.moveTo(first[0], first[1]);
    for (const [x, y] of rest) ctx.lineTo(x, y);
    ctx.stroke();
  }

  function redraw() {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    strokes.forEach(paint);
  }

  const changed = () => onChange && onChange();

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = { colour: pen.colour, width: pen.width, points: [point(event)] };
    strokes.push(current);
    paint(current);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    current.points.push(point(event));
    redraw();
  });
  const finish = () => {
    if (!current) return;
    current = null;
    changed();
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  redraw();

  return {
    pen,
    isEmpty: () => strokes.length === 0,
    undo() { strokes.pop(); redraw(); changed(); },
    clear() { strokes = []; redraw(); changed(); },
    strokes: () => strokes,
    restore(saved) {
      strokes = Array.isArray(saved) ? saved.filter((s) => s && Array.isArray(s.points) && s.points.length) : [];
      redraw();
    },
    toBlob: () => new Promise((resolve) => canvas.toBlob(resolve, "image/png")),
  };
}
