// Once the heading is on screen (two animation frames after the first), the
// page says so, as Muster's page does once its Overview is drawn, with the
// same page timings Muster's page gives (epoch milliseconds).
const script = performance.timeOrigin + performance.now();
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const origin = performance.timeOrigin;
    const marks = [['navigation', origin], ['script', script]];
    const [navigation] = performance.getEntriesByType('navigation');
    if (navigation && navigation.responseEnd > 0) {
      marks.push(['html', origin + navigation.responseEnd]);
    }
    if (navigation && navigation.domContentLoadedEventEnd > 0) {
      marks.push(['dom', origin + navigation.domContentLoadedEventEnd]);
    }
    marks.push(['painted', origin + performance.now()]);
    void window.__TAURI_INTERNALS__.invoke('mark_painted', { marks });
  }),
);
