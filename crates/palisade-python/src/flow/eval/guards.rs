//! Guards: checks that make a name safe where it is used — an allow-list membership test
//! that exits or reassigns when it fails (`if col not in ALLOWED: raise`).

use super::*;
use crate::grammar::field;

impl<'m, 't> Eval<'m, 't> {
    /// The start of an allow-list guard on `name` that covers `at`: `if name in CONST:`
    /// around it, or an earlier `if name not in CONST: return/raise/…/name = …` or
    /// `assert name in CONST` in an enclosing block.
    pub(super) fn guard(
        &self,
        name: &str,
        scope: Node<'t>,
        at: Node<'t>,
        depth: u32,
    ) -> Option<usize> {
        let mut child = at;
        let mut current = self.model.parent(at);
        while let Some(n) = current {
            match n.kind() {
                "if_statement" | "elif_clause"
                    if n.child_by_field_id(*field::CONSEQUENCE)
                        .is_some_and(|c| c.id() == child.id())
                        && n.child_by_field_id(*field::CONDITION)
                            .is_some_and(|c| self.membership(c, name, false, depth)) =>
                {
                    return Some(n.start_byte());
                }
                "block" | "module" => {
                    // Guards sit just before what they guard: look a few statements back,
                    // read from `n`'s children (`prev_named_sibling` finds the parent again
                    // from the root on every step).
                    let before = preceding_named(n, child, GUARD_LOOKBACK);
                    let mut seen = 0;
                    for &st in before.iter().rev() {
                        if self.is_exit_guard(st, name, depth) {
                            return Some(st.start_byte());
                        }
                        seen += 1;
                    }
                    self.charge(seen as u64);
                }
                _ => {}
            }
            if n.id() == scope.id() {
                break;
            }
            child = n;
            current = self.model.parent(n);
        }
        None
    }

    pub(super) fn is_exit_guard(&self, statement: Node<'t>, name: &str, depth: u32) -> bool {
        match statement.kind() {
            "assert_statement" => statement
                .named_child(0)
                .is_some_and(|c| self.membership(c, name, false, depth)),
            "if_statement" => {
                statement.child_by_field_id(*field::ALTERNATIVE).is_none()
                    && statement
                        .child_by_field_id(*field::CONDITION)
                        .is_some_and(|c| self.membership(c, name, true, depth))
                    && statement
                        .child_by_field_id(*field::CONSEQUENCE)
                        .is_some_and(|b| self.exits_or_assigns(b, name))
            }
            _ => false,
        }
    }

    pub(super) fn exits_or_assigns(&self, block: Node<'t>, name: &str) -> bool {
        let statements = named(block);
        let exits = statements.last().is_some_and(|last| match last.kind() {
            "return_statement" | "raise_statement" | "continue_statement" | "break_statement" => {
                true
            }
            "expression_statement" => last.named_child(0).is_some_and(|c| {
                c.kind() == "call"
                    && c.child_by_field_id(*field::FUNCTION).is_some_and(|f| {
                        let t = self.text(f);
                        t.ends_with("abort") || t.ends_with("exit") || t.ends_with("fail")
                    })
            }),
            _ => false,
        });
        exits
            || statements.iter().any(|s| {
                s.kind() == "expression_statement"
                    && s.named_child(0).is_some_and(|a| {
                        a.kind() == "assignment"
                            && a.child_by_field_id(*field::LEFT)
                                .is_some_and(|l| self.text(l) == name)
                    })
            })
    }

    /// Whether `condition` tests `name in CONST` (or, with `negated`, `name not in CONST`)
    /// for a constant collection.
    pub(super) fn membership(
        &self,
        condition: Node<'t>,
        name: &str,
        negated: bool,
        depth: u32,
    ) -> bool {
        match condition.kind() {
            "parenthesized_expression" => condition
                .named_child(0)
                .is_some_and(|c| self.membership(c, name, negated, depth)),
            "boolean_operator" => {
                let op = condition
                    .child_by_field_id(*field::OPERATOR)
                    .map(|o| self.text(o));
                // `a in X and …` guards its body; `a not in X or …` exits on either.
                let fits = if negated {
                    op == Some("or")
                } else {
                    op == Some("and")
                };
                fits && [
                    condition.child_by_field_id(*field::LEFT),
                    condition.child_by_field_id(*field::RIGHT),
                ]
                .into_iter()
                .flatten()
                .any(|c| self.membership(c, name, negated, depth))
            }
            "not_operator" => condition
                .child_by_field_id(*field::ARGUMENT)
                .is_some_and(|c| self.membership(c, name, !negated, depth)),
            "comparison_operator" => {
                let operands = named(condition);
                let mut cursor = condition.walk();
                let operators: Vec<String> = condition
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| {
                        self.text(o)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                let wanted = if negated { "not in" } else { "in" };
                operands.len() == 2
                    && operators.len() == 1
                    && operators[0] == wanted
                    && self.text(operands[0]) == name
                    && all_constant(&self.elements(operands[1], None, depth + 1))
            }
            _ => false,
        }
    }
}

/// The (at most `count`) named children of `parent` right before its child `child`, in
/// document order: what `child.prev_named_sibling()` steps through, nearest last.
fn preceding_named<'t>(parent: Node<'t>, child: Node<'t>, count: usize) -> Vec<Node<'t>> {
    let mut before = Vec::with_capacity(count + 1);
    let mut cursor = parent.walk();
    for sibling in parent.named_children(&mut cursor) {
        if sibling.id() == child.id() {
            return before;
        }
        if before.len() == count {
            before.remove(0);
        }
        before.push(sibling);
    }
    // Not a named child of `parent` (never expected): its siblings as tree-sitter gives them.
    let mut before = Vec::new();
    let mut sibling = child.prev_named_sibling();
    while let Some(node) = sibling.filter(|_| before.len() < count) {
        before.insert(0, node);
        sibling = node.prev_named_sibling();
    }
    before
}
