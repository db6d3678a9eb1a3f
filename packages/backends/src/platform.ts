// Where we run. Node has process.versions.node; everything else is treated as a browser.
export const isNode: boolean = typeof process !== 'undefined' && process.versions?.node != null;
