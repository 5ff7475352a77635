//! The live state of a log archive, read from what the AWS CLI prints: the bucket's policy and
//! settings, the key's policy and rotation, each trail, its status and selectors, the
//! organization. The library does no I/O: a script ([`Collection::script`](crate::Collection))
//! saves each command's output in a file, the caller reads the files into [`Outputs`], and the
//! readers here turn each into a typed value or a [`LiveError`] naming the file and the command
//! that makes it.
//!
//! The output shapes are the AWS CLI's (botocore's service models, the same as each
//! operation's page in the API references cited on each type); `tests/fixtures/live/` holds
//! outputs of the real AWS CLI against moto's emulator.

mod bucket;
mod caller;
mod error;
mod key;
mod operation;
mod organization;
mod outputs;
mod policy;
mod shape;
mod trail;

pub use bucket::{
    BucketEncryption, BucketLocation, BucketLogging, BucketVersioning, LifecycleRule,
    LifecycleRules, ObjectLockState, OwnershipControls, PublicAccessBlock, VersioningStatus,
};
pub use caller::CallerIdentity;
pub use error::{LiveError, OutputRule};
pub use key::KeyRotation;
pub use operation::Operation;
pub use organization::{LiveAccounts, LiveOrganization};
pub use outputs::{Outputs, Saved};
pub use trail::{
    AdvancedSelector, ClassicSelector, LiveInsights, LiveSelectors, LiveTrail, TrailStatus,
};

pub(crate) use outputs::malformed;
