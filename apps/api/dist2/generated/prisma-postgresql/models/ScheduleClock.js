export {};
//# sourceMappingURL=ScheduleClock.js.map