export {
  CLS_ID,
  DistilbertTokenizer,
  MAX_WORD_PIECES,
  MODEL_WINDOW_TOKENS,
  SEP_ID,
  SPECIAL_TOKENS,
  UNK_ID,
  loadTokenizer,
  type WindowFit,
} from './distilbert.js';
export { TokenizerFileError, defaultTokenizerPath, findPackageRoot } from './locate.js';
