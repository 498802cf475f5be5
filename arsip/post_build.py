"""The post-build steps: what runs once every page is written, in one explicit order.

The setting POST_BUILD_STEPS (arsip/settings.py; publishconf.py adds the
public build's steps) names them in the order they run. Each is a plugin of
PLUGINS whose module sets `POST_BUILD_STEP` to a function of the Pelican
object; no plugin connects to `finalized` for a step of its own, so the order
is the list's, not the plugins'.

When Pelican starts, the list is checked against the loaded plugins: a step
whose plugin is not loaded, a loaded plugin with a step the list leaves out,
and `strict` or `output_swap` anywhere but at the end stop the build with one
line each. So `strict` sees the errors every step logs, and `output_swap` puts
the new output in place only after every step succeeded: a failed step leaves
the output as it was.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from arsip import postprocess, settings
from arsip.problems import ContentError, Problem, failures_as_lines, report

STEP_ATTRIBUTE = "POST_BUILD_STEP"
# The last steps, in this order, whenever their plugins are loaded.
LAST = ("strict", "output_swap")


def plugin_name(module) -> str:
    """`compress` for plugins/compress.py, as PLUGINS names it."""
    return module.__name__.rpartition(".")[2]


def steps_of(plugins) -> dict[str, object]:
    """The post-build step of each loaded plugin that has one, by plugin name."""
    return {
        plugin_name(module): getattr(module, STEP_ATTRIBUTE)
        for module in plugins
        if getattr(module, STEP_ATTRIBUTE, None) is not None
    }


def disagreements(listed, plugins) -> list[str]:
    """What is wrong with the list `listed` for these loaded plugin modules."""
    steps = steps_of(plugins)
    loaded = {plugin_name(module) for module in plugins}
    found = []
    for name in listed:
        if name not in loaded:
            found.append(
                f"POST_BUILD_STEPS names {name!r}, which is not in PLUGINS: "
                "add the plugin or remove the step"
            )
        elif name not in steps:
            found.append(
                f"POST_BUILD_STEPS names {name!r}, whose plugin has no post-build step "
                f"({STEP_ATTRIBUTE}): remove it from the list"
            )
    for name in steps:
        if name not in listed:
            found.append(
                f"the plugin {name!r} has a post-build step that POST_BUILD_STEPS leaves out: "
                "add it where it must run"
            )
    last = [name for name in LAST if name in listed]
    if list(listed[len(listed) - len(last) :]) != last:
        found.append(
            f"POST_BUILD_STEPS must end with {', '.join(last)}, after every other step "
            f"(got {', '.join(listed)}): move {' and '.join(last)} to the end"
        )
    return found


def check(pelican) -> None:
    """Pelican's `initialized`: the list checked; the steps kept on this Pelican
    object, and the runner moved after every other receiver of `finalized`."""
    listed = list(pelican.settings["POST_BUILD_STEPS"])
    found = disagreements(listed, pelican.plugins)
    if found:
        failures_as_lines(pelican.settings["PATH"])
        problems = [Problem(Path("settings"), 1, "error", message) for message in found]
        report(problems)
        raise ContentError(problems)
    steps = steps_of(pelican.plugins)
    pelican.post_build_steps = [steps[name] for name in listed]
    signals.finalized.disconnect(run)
    signals.finalized.connect(run)


def run(pelican) -> None:
    """Pelican's `finalized`: each step in the list's order. One that fails
    stops the build there, so the output swap, last, never happens. The
    workers the steps share (arsip/postprocess.py) are stopped afterwards."""
    try:
        for step in getattr(pelican, "post_build_steps", ()):
            step(pelican)
    finally:
        postprocess.stop()


def connect() -> None:
    """Called in the register() of every plugin with a post-build step."""
    settings.connect()  # first: the check reads POST_BUILD_STEPS
    signals.initialized.connect(check)
    signals.finalized.connect(run)
