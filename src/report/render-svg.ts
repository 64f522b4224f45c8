import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string with vega's headless
 * view (renderer 'none', `toSVG`): no canvas, no browser, no DOM. Every spec carries
 * its data inline; the loader refuses anything else, so rendering never reaches the
 * network or the file system.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const runtime = vega.parse(compile(spec).spec);
  const view = new vega.View(runtime, { renderer: 'none', loader: refusingLoader() });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function refusingLoader(): vega.Loader {
  const refuse = (uri: string): Promise<never> => Promise.reject(new Error(`the report loads nothing: refused ${uri}`));
  const loader = vega.loader();
  loader.load = refuse;
  loader.sanitize = refuse;
  return loader;
}
