/* Accessibility repairs of Dash 4's own component markup, which the app cannot pass props for.
 *
 * - Dropdown: its button is the Tab stop and is named by the field's <label> and its value;
 *   the aria-hidden focus proxy Dash puts before it is disabled (a focusable hidden element is
 *   announced as nothing). The search box of the popup gets its placeholder as its name.
 * - Options lists (RadioItems, Checklist, an open Dropdown) are native radio buttons and check
 *   boxes: the listbox/option roles around them are removed, so each input keeps its own role
 *   and the <fieldset>/<legend> or the field's label names the group.
 * - An element with data-label-for="ID" names the single input inside #ID (the privacy switch).
 * - The date-range picker's wrapper is a group named by the field's label, without a trigger's ARIA.
 * - A chart's table view stays open, and a pressed row button keeps the focus, when the page is
 *   redrawn after the filter it set (otherwise a keyboard user is thrown back to the top).
 *
 * Every repair is idempotent and re-applied when React re-renders (MutationObserver).
 */
(function () {
    "use strict";

    function labelId(targetId) {
        var escaped = window.CSS && CSS.escape ? CSS.escape(targetId) : targetId;
        var label = document.querySelector('label[for="' + escaped + '"], [data-label-for="' + escaped + '"]');
        return label && label.id ? label.id : null;
    }

    function repairDropdown(button) {
        if (button.getAttribute("tabindex") !== "0") {
            button.setAttribute("tabindex", "0");
        }
        var proxy = button.previousElementSibling;
        if (proxy && proxy.classList.contains("dash-dropdown-focus-target") && !proxy.disabled) {
            proxy.disabled = true;
        }
        var name = button.id && labelId(button.id);
        if (name) {
            var parts = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(function (part) {
                return part && part !== name && document.getElementById(part);
            });
            var wanted = [name].concat(parts).join(" ");
            if (button.getAttribute("aria-labelledby") !== wanted) {
                button.setAttribute("aria-labelledby", wanted);
            }
        }
    }

    function repairOptions(list) {
        if (list.getAttribute("role") === "listbox") {
            list.removeAttribute("role");
        }
        list.querySelectorAll('[role="option"]').forEach(function (option) { option.removeAttribute("role"); });
        list.querySelectorAll("label[aria-selected]").forEach(function (option) {
            option.removeAttribute("aria-selected");
        });
        if (list.id) {
            var name = labelId(list.id);
            var inputs = list.querySelectorAll("input");
            if (name && inputs.length === 1 && inputs[0].getAttribute("aria-labelledby") !== name) {
                inputs[0].setAttribute("aria-labelledby", name);
            }
        }
    }

    function repairClear(cross) {
        // The mouse-only cross inside a dropdown's button: the keyboard clears with Delete, and the
        // popup's "deselect all" button says it in words; a name on a non-control is not allowed.
        if (cross.hasAttribute("aria-label")) {
            cross.removeAttribute("aria-label");
        }
        if (cross.getAttribute("aria-hidden") !== "true") {
            cross.setAttribute("aria-hidden", "true");
        }
    }

    function repairSearch(input) {
        var name = input.getAttribute("placeholder");
        if (name && input.getAttribute("aria-label") !== name) {
            input.setAttribute("aria-label", name);
        }
    }

    function repairDatePicker(wrapper) {
        // The date-range picker's wrapper is a plain div carrying a popup trigger's ARIA (expanded,
        // haspopup, disabled) and a name made of ids that do not exist; its inputs are the controls
        // (each named, each opening the calendar). As a group named by the field's label it is valid.
        ["aria-expanded", "aria-haspopup", "aria-disabled"].forEach(function (name) {
            if (wrapper.hasAttribute(name)) {
                wrapper.removeAttribute(name);
            }
        });
        if (wrapper.getAttribute("role") !== "group") {
            wrapper.setAttribute("role", "group");
        }
        var input = wrapper.querySelector("input[id]");
        var name = input ? labelId(input.id) : null;
        if (name && wrapper.getAttribute("aria-labelledby") !== name) {
            wrapper.setAttribute("aria-labelledby", name);
        }
    }

    var openTables = {};
    var pendingFocus = null;
    var FOCUS_WAIT_MS = 15000;  // a redraw slower than this no longer moves the focus

    // A chart's table is sent when its view is open (callbacks.open_table_view answers a change of the
    // card's "table-opened" store): asked for once per view (the card's data-view: page, filters,
    // period, protection) unless the table shown is already that view's.
    var askedView = new WeakMap();  // table body -> the view its table was last asked for
    function askForTable(details) {
        var chart = details.getAttribute("data-chart");
        var view = details.getAttribute("data-view");
        var body = details.querySelector(".table-body");
        var dash = window.dash_clientside;
        if (!chart || !body || !dash || !dash.set_props) {
            return;
        }
        var shown = body.firstElementChild;
        if (shown && shown.getAttribute("data-view") === view) {
            askedView.delete(body);
        } else if (askedView.get(body) !== view) {
            askedView.set(body, view);
            dash.set_props({type: "table-opened", chart: chart}, {data: view + "@" + Date.now()});
        }
    }

    document.addEventListener("toggle", function (event) {
        var details = event.target;
        if (details.matches && details.matches("details.chart-table") && details.id) {
            openTables[details.id] = details.open;
            var body = details.querySelector(".table-body");
            if (details.open && body) {
                askedView.delete(body);  // opened again: asked again unless its table is shown (a lost answer)
                askForTable(details);
            }
        }
    }, true);
    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest(".row-filter");
        if (button && button.id) {
            pendingFocus = {id: button.id, until: Date.now() + FOCUS_WAIT_MS};
        }
    }, true);
    document.addEventListener("focusin", function (event) {
        if (pendingFocus && event.target.id !== pendingFocus.id) {
            pendingFocus = null;  // the user went elsewhere
        }
    });

    function keepViewState() {
        Object.keys(openTables).forEach(function (id) {
            var details = document.getElementById(id);
            if (openTables[id] && details && !details.open) {
                details.open = true;
            }
        });
        document.querySelectorAll("details.chart-table[open]").forEach(askForTable);
        if (pendingFocus) {
            var active = document.activeElement;
            var button = document.getElementById(pendingFocus.id);
            if (Date.now() > pendingFocus.until) {
                pendingFocus = null;
            } else if (button && button !== active && (!active || active === document.body)) {
                button.focus();
            }
        }
    }

    function repairAll() {
        document.querySelectorAll("button.dash-dropdown").forEach(repairDropdown);
        document.querySelectorAll(".dash-options-list").forEach(repairOptions);
        document.querySelectorAll("input.dash-dropdown-search").forEach(repairSearch);
        document.querySelectorAll(".dash-dropdown-trigger a.dash-dropdown-clear").forEach(repairClear);
        document.querySelectorAll(".dash-datepicker-input-wrapper").forEach(repairDatePicker);
        keepViewState();
    }

    var OBSERVED = ["role", "aria-selected", "tabindex", "aria-labelledby", "aria-label", "aria-hidden",
                    "aria-expanded", "aria-haspopup", "aria-disabled", "data-view"];
    var scheduled = false;
    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(function () {
                scheduled = false;
                repairAll();
            });
        }
    }

    function start() {
        repairAll();
        new MutationObserver(function (mutations) {
            for (var i = 0; i < mutations.length; i++) {
                var m = mutations[i];
                if (m.type === "childList" || OBSERVED.indexOf(m.attributeName) >= 0) {
                    schedule();
                    return;
                }
            }
        }).observe(document.body, {
            childList: true, subtree: true, attributes: true,
            attributeFilter: OBSERVED,
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
