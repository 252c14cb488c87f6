#!/usr/bin/env node
// The installed `jobdeck` command: a file that exists before the build, so that npm can link it.
import "../dist/main.js";
