//! The runtime's base and database weights, and the weights of the polkadot-sdk pallets whose
//! calls carry most of the load, all measured on this machine class by `scripts/benchmark`
//! (BENCHMARKS.md): an empty block and a no-op extrinsic (`benchmark overhead`), and
//! `frame_system`, `pallet_balances` and `pallet_utility` (`benchmark pallet`), the transaction
//! extensions' storage accesses (`frame_system_extensions`, `pallet_transaction_payment`: their
//! execution is in the extrinsic base weight), and ParityDB's read and write (`benchmark
//! storage` on a populated state, `frame_system::Config::DbWeight`). Our pallets' weights are
//! in their own `weights.rs`.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
// Generated: the CLI's template documents the struct's fields inside `parameter_types!`.
#[allow(unused_doc_comments)]
pub mod paritydb_weights;

use ::frame_support::{traits::Get, weights::Weight};

/// The fee payment's weight without the sender's account, its only storage access the runtime
/// does not pay elsewhere (the treasury's and the author's the block pays once). `CheckNonce`,
/// before it in every signed transaction (`TxExtension`), reads that account first and writes
/// it first: the payment's read finds it in the state cache, its write lands in the block's
/// overlay, and the block commits the key once, so the benchmark's count, made with the payment
/// alone, would charge one access twice. The runtime tests hold the generated count to exactly
/// that account's read and write.
pub struct FeePaymentAfterNonce<T>(core::marker::PhantomData<T>);
impl<T: ::frame_system::Config> ::pallet_transaction_payment::WeightInfo
	for FeePaymentAfterNonce<T>
{
	fn charge_transaction_payment() -> Weight {
		<self::pallet_transaction_payment::WeightInfo<T> as ::pallet_transaction_payment::WeightInfo>::charge_transaction_payment()
			.saturating_sub(T::DbWeight::get().reads_writes(1, 1))
	}
}

/// pallet-multisig's weights, with the read and write of the multisig account its call runs as
/// added where the call is dispatched. Our pallets' benchmarks leave the signer's account to
/// `CheckNonce` (security T6), which never touches a multisig account; polkadot-sdk adds that
/// access only to the weight `as_multi_threshold_1` declares, not to the one it reports after
/// the call, nor to `as_multi`'s completion. The declared weight of `as_multi_threshold_1` so
/// counts the account twice (53 µs more, refunded only when the call reports its own weight).
pub struct MultisigAsAccount<T>(core::marker::PhantomData<T>);
type MultisigWeights<T> = ::pallet_multisig::weights::SubstrateWeight<T>;
impl<T: ::frame_system::Config> ::pallet_multisig::WeightInfo for MultisigAsAccount<T> {
	fn as_multi_threshold_1(z: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::as_multi_threshold_1(z)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn as_multi_create(s: u32, z: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::as_multi_create(s, z)
	}
	fn as_multi_approve(s: u32, z: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::as_multi_approve(s, z)
	}
	fn as_multi_complete(s: u32, z: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::as_multi_complete(s, z)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn approve_as_multi_create(s: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::approve_as_multi_create(s)
	}
	fn approve_as_multi_approve(s: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::approve_as_multi_approve(s)
	}
	fn cancel_as_multi(s: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::cancel_as_multi(s)
	}
	fn poke_deposit(s: u32) -> Weight {
		<MultisigWeights<T> as ::pallet_multisig::WeightInfo>::poke_deposit(s)
	}
}
