export {};
//# sourceMappingURL=Job.js.map