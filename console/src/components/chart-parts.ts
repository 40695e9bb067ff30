import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import type { BarSeries } from './bar-chart';

// Only what a bar chart needs: the rest of Chart.js is left out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

Chart.defaults.font.family = 'system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';

export function createBarChart(
  canvas: HTMLCanvasElement,
  props: { labels: readonly string[]; series: readonly BarSeries[]; max?: number; unit?: string; horizontal?: boolean },
): Chart<'bar'> {
  const valueAxis = {
    beginAtZero: true,
    ...(props.max !== undefined ? { max: props.max } : {}),
    ticks: { callback: (value: string | number) => `${value}${props.unit ?? ''}`, precision: 0 },
    grid: { color: '#e5e7eb' },
  };
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: [...props.labels],
      datasets: props.series.map((series) => ({
        label: series.label,
        data: [...series.values],
        backgroundColor: series.color,
        borderRadius: 3,
        maxBarThickness: 28,
      })),
    },
    options: {
      indexAxis: props.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: 'top' },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${item.raw === null ? '—' : `${item.formattedValue}${props.unit ?? ''}`}`,
          },
        },
      },
      scales: props.horizontal
        ? { x: valueAxis, y: { grid: { display: false } } }
        : { y: valueAxis, x: { grid: { display: false } } },
    },
  });
}
