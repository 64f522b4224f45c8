import type { Loader } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { chartLibrary } from './chart-library.js';

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string with vega's headless
 * view (renderer 'none', `toSVG`): no canvas, no browser, no DOM. Every spec carries
 * its data inline; the loader refuses anything else, so rendering never reaches the
 * network or the file system.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = chartLibrary();
  const runtime = vega.parse(vegaLite.compile(spec).spec);
  const view = new vega.View(runtime, { renderer: 'none', loader: refusingLoader() });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function refusingLoader(): Loader {
  const refuse = (uri: string): Promise<never> => Promise.reject(new Error(`the report loads nothing: refused ${uri}`));
  const loader = chartLibrary().vega.loader();
  loader.load = refuse;
  loader.sanitize = refuse;
  return loader;
}
