//! skillgap's LLM adapter: an OpenAI-compatible chat client ([`client`]), the proficiency
//! profiler ([`proficiency`]) and gap narratives ([`narrative`]). Every answer is validated here;
//! nothing here writes to the store (callers do, with the provenance this crate returns).

pub mod client;
pub mod narrative;
pub mod proficiency;

pub use client::{ChatClient, ChatReply, ChatRequest, LlmConfig, LlmConfigError, LlmError, Usage};
pub use narrative::{
    NARRATIVE_PROMPT_VERSION, Narrated, narrate, narrative_prompt, parse_narrative,
};
pub use proficiency::{
    AnswerError, DescriptorContext, Estimate, OccupationContext, PROFICIENCY_PROMPT_VERSION,
    Prompt, RateFailure, Rated, context_from, parse_proficiency, proficiency_prompt, rate,
};
