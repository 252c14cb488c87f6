export {};
//# sourceMappingURL=Worker.js.map