// What the browser tests read off charts.

/** Pixels of the canvas inside element `id` that are not transparent (0 without a canvas). */
export const paintedPixels = (page, id) => page.evaluate((chartId) => {
  const canvas = document.querySelector(`#${chartId} canvas`);
  if (!canvas) return 0;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  return painted;
}, id);
