// Loaded by mocha before the unit tests (.mocharc.json "require"). fast-check draws a new random seed per
// run, which keeps finding new inputs on developers' machines; CI must be repeatable, so with CI set every
// property starts from one fixed seed. FC_SEED=<n> replays a reported failure anywhere.
import fc from 'fast-check';

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? 20_261_122 : undefined;
if (seed !== undefined && Number.isInteger(seed)) fc.configureGlobal({ seed });
