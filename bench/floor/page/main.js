// Once the heading is on screen (two animation frames after the first), the
// page says so, as Muster's page does once its Overview is drawn.
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    void window.__TAURI_INTERNALS__.invoke('mark_painted');
  }),
);
