export {};
//# sourceMappingURL=JobLog.js.map