// Preloaded into a built server (NODE_OPTIONS=--require): on SIGUSR2 it prints the CommonJS files the
// process has loaded so far, imported or required alike (an ES-module package such as marked is not
// listed).
process.on("SIGUSR2", () => {
  console.log(`loaded files: ${JSON.stringify(Object.keys(require.cache))}`);
});
