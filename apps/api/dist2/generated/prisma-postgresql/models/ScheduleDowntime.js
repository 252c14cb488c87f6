export {};
//# sourceMappingURL=ScheduleDowntime.js.map