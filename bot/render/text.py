"""Plain-text rendering of planned posts (CLI preview, logs, demo files)."""

from __future__ import annotations

from bot.core.posts import PlannedPost, TaskView


def task_lines(task: TaskView) -> list[str]:
    minutes = f"[{task.minutes} min] " if task.minutes else ""
    lines = [f"☐ {task.icon} {minutes}{task.text}"]
    for p in task.problems:
        lines.append(f"    LC {p.number} · {p.title} · {p.difficulty} · {p.url}")
    for link in task.links:
        lines.append(f"    🔗 {link.title}: {link.url}")
    if task.ledger:
        lines.append(f"    📓 Ledger: {task.ledger}")
    if task.checkpoint:
        lines.append(f"    🏁 Checkpoint: {task.checkpoint}")
    return lines


def render_post(post: PlannedPost) -> str:
    out = [post.title, "=" * min(len(post.title), 80)]
    for section in post.intro:
        out.append(f"\n{section.title}")
        out += [f"  {line}" for line in section.lines]
    if post.tasks:
        out.append("\nTasks")
        for task in post.tasks:
            out += [f"  {line}" for line in task_lines(task)]
    return "\n".join(out)
