//! How sure a rule can be that someone outside the program controls a non-constant part of
//! a string ([`flow::Hole`]): the grade behind `python/sql-injection`'s confidence.
//!
//! High only when an outside source reaches the value — request data, a route handler's
//! parameters, the command line, the environment, `input()`, a socket — directly or through
//! the call sites of the same file ([`crate::callers`], up to [`CALLER_LEVELS`] levels), or
//! of other files in the project pass ([`crate::call_sites`]). A parameter of a function
//! whose callers are not found is medium. Everything the program
//! defines or reads back itself is low: model metadata (`Model.__tablename__`,
//! `_meta.db_table`), class constants, rows, a helper's result.

use crate::callers;
use crate::flow::{self, Hole, Origin};
use crate::grammar::field;
use crate::model::Model;
use palisade_core::Confidence;
use tree_sitter::Node;

/// How sure a finding is, from where its value comes from, and the call site that decided it.
pub struct Grade<'t> {
    pub confidence: Confidence,
    /// The call site argument that decided it, and what it passes (for messages).
    pub caller: Option<(Node<'t>, String)>,
    /// When the value is a parameter of a function nothing in this file calls (so the grade
    /// is medium): that `def` and the parameter's name, for the project pass to grade by the
    /// call sites of other files ([`crate::call_sites`]).
    pub open: Option<(Node<'t>, String)>,
}

impl Grade<'_> {
    fn of(confidence: Confidence) -> Self {
        Grade {
            confidence,
            caller: None,
            open: None,
        }
    }
}

/// Whether a value names a schema object the program itself defines: a model's table
/// (`Model.__tablename__`, `model.__table__.name`, Django's `_meta.db_table`,
/// `_meta.get_field(name).column`), a class's `__name__`. Such text is an identifier, not
/// data anyone sends. Looks at the expression the hole is read from (and the attribute
/// chain around it: `model_type` in `model_type._meta`) and at the operand as written where
/// it joins the text.
fn is_schema_identifier(model: &Model<'_>, hole: &Hole<'_>) -> bool {
    let mut read = hole.source;
    while let Some(parent) = read.parent().filter(|p| {
        matches!(p.kind(), "attribute" | "subscript" | "call")
            && p.start_byte() == read.start_byte()
    }) {
        read = parent;
    }
    // The object the chain starts from, when it is a local alias (`meta = model._meta`).
    let mut base = read;
    while let Some(inner) = match base.kind() {
        "attribute" => base.child_by_field_id(*field::OBJECT),
        "subscript" => base.child_by_field_id(*field::VALUE),
        "call" => base.child_by_field_id(*field::FUNCTION),
        _ => None,
    } {
        base = inner;
    }
    let aliases = if base.kind() == "identifier" && base.id() != read.id() {
        flow::assigned_values(model, base)
    } else {
        Vec::new()
    };
    [Some(read), hole.written]
        .into_iter()
        .flatten()
        .chain(aliases)
        .any(|node| {
            let text = model.text(node);
            [
                "__tablename__",
                "__table__",
                "_meta",
                "__name__",
                "db_table",
            ]
            .iter()
            .any(|marker| text.contains(marker))
        })
}

/// Callers followed above the function that holds the sink (a caller's own parameter is
/// graded by its callers, once more).
pub(crate) const CALLER_LEVELS: u32 = 2;

/// The grade of a hole from what this function shows alone, without walking the file for
/// callers (a caller's own parameter is medium): what a call site records for the project
/// pass, cheaply enough for every call of the project's functions.
pub fn grade_here<'t>(model: &Model<'t>, hole: &Hole<'t>) -> Confidence {
    grade(model, hole, CALLER_LEVELS).confidence
}

/// High only when an outside source (request data, the command line, the environment,
/// `input()`, a socket) reaches the text — directly, as a route handler's parameter, or
/// through call sites of this file (two levels up); medium for a parameter whose callers are
/// not in this file; low for everything else (class constants, model metadata, rows read
/// back, a helper's result, a parameter every local caller fills with such values).
pub fn grade<'t>(model: &Model<'t>, hole: &Hole<'t>, level: u32) -> Grade<'t> {
    match &hole.origin {
        Origin::Request(_)
        | Origin::Input
        | Origin::Argv(_)
        | Origin::Network(_)
        | Origin::Environ(_) => Grade::of(Confidence::High),
        Origin::Parameter { name, function } => {
            let definition = callers::enclosing_function(model, hole.source, function);
            if definition.is_some_and(|d| callers::is_route_handler(model, d)) {
                return Grade::of(Confidence::High);
            }
            if is_schema_identifier(model, hole) {
                return Grade::of(Confidence::Low);
            }
            let Some(definition) = definition else {
                return Grade::of(Confidence::Medium);
            };
            if level >= CALLER_LEVELS {
                return Grade::of(Confidence::Medium);
            }
            let Some(arguments) = callers::arguments_for(model, definition, name) else {
                return Grade {
                    open: (level == 0).then(|| (definition, name.clone())),
                    ..Grade::of(Confidence::Medium)
                };
            };
            let mut grade = Grade::of(Confidence::Low);
            for argument in arguments {
                for variant in flow::construction(model, argument) {
                    for hole in variant.holes() {
                        let confidence = self::grade(model, hole, level + 1).confidence;
                        if confidence > grade.confidence {
                            grade = Grade {
                                confidence,
                                caller: Some((argument, hole.origin.describe())),
                                open: None,
                            };
                        }
                    }
                }
            }
            grade
        }
        Origin::Other(_) => Grade::of(Confidence::Low),
    }
}
