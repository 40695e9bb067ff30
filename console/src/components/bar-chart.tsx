import { useEffect, useRef } from 'preact/hooks';

/**
 * A bar chart drawn by Chart.js, loaded on first use (its own chunk, only the parts a bar
 * chart needs, so the board never pays for it).
 */
export interface BarSeries {
  readonly label: string;
  readonly values: ReadonlyArray<number | null>;
  readonly color: string;
}

type ChartModule = typeof import('./chart-parts');
let loading: Promise<ChartModule> | undefined;
const loadChart = () => (loading ??= import('./chart-parts'));

export function BarChart(props: {
  labels: readonly string[];
  series: readonly BarSeries[];
  /** Upper bound of the value axis (e.g. 100 for percentages). */
  max?: number;
  unit?: string;
  ariaLabel: string;
  horizontal?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<{ destroy(): void } | null>(null);
  const key = JSON.stringify([props.labels, props.series, props.max, props.unit, props.horizontal]);

  useEffect(() => {
    let live = true;
    void loadChart().then(({ createBarChart }) => {
      if (!live || !canvas.current) return;
      chart.current?.destroy();
      chart.current = createBarChart(canvas.current, props);
    });
    return () => {
      live = false;
    };
  }, [key]);
  useEffect(() => () => chart.current?.destroy(), []);

  const height = props.horizontal ? Math.max(160, props.labels.length * 26 + 60) : 280;
  return (
    <div class="chart" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.ariaLabel} />
    </div>
  );
}
