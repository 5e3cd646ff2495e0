"""Pure logic: functions of data and a clock. Nothing here imports discord or cogs."""
