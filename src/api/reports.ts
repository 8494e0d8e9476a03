// Every variant checked the way it declares (`ordeal summary`, `npm run reports`) and the states
// per BFS level the reports plot; re-exported from src/check for the command line.
export { checkDeclared, declaredCheck, type DeclaredOutcome } from '../check/declared.ts';
export { statesPerLevel } from '../check/levels.ts';
