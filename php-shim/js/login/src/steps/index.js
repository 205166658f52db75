/**
 * Every step of the shell, by name (REFERENCE-API §8.1's Step names where the reference has one).
 * A flow adds its steps here: one import and one entry each.
 */
import Code from './Code';
import Email from './Email';
import Invitation from './Invitation';
import Mfa from './Mfa';
import Organization from './Organization';
import Password from './Password';
import Reset, { ResetConfirm, ResetSent } from './Reset';
import Signup, { SignupVerify } from './Signup';

export const STEPS = {
	email: Email,
	password: Password,
	code: Code,
	verify: Code,
	organization: Organization,
	invitation: Invitation,
	mfa: Mfa,
	reset: Reset,
	reset_sent: ResetSent,
	reset_confirm: ResetConfirm,
	signup: Signup,
	signup_verify: SignupVerify,
};
