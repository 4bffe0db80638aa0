import { configTable } from '../src/config.ts';

// Prints the configuration table that README.md carries between its config markers.
console.log(configTable());
