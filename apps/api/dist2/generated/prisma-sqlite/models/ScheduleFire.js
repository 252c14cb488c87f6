export {};
//# sourceMappingURL=ScheduleFire.js.map