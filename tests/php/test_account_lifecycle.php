<?php
/**
 * The account-lifecycle methods of WorkOS\Native\Client that the hosted
 * login uses, against the emulator: password reset, email verification by
 * code, invitations (and the grants' invitation token), Magic Auth, MFA with
 * real TOTP, and organization selection. Each sends the spec's method, path
 * and body (read back from the emulator's request log), answers WorkOS's JSON
 * as arrays, surfaces WorkOS's refusals and step-ups as ApiException with
 * getErrorCode()/getBody(), and refuses a malformed argument before sending.
 */

/** The emulator harness: env_var(), emulator(), sent_since(), log_size(), line(), emulator_client(). */
require __DIR__ . '/emulator.php';

use WorkOS\Native\{ApiException, InvalidArgumentException};

if ( ! emulator_ready() ) {
	return;
}

/**
 * The RFC 6238 code of a base32 secret (SHA-1, 6 digits, 30 s), as an
 * authenticator app computes it: the test owes nothing to the emulator here.
 *
 * @param string $secret Base32 secret.
 * @param int    $at     Unix time.
 */
function totp( string $secret, int $at ): string {
	$alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	$bits     = '';
	foreach ( str_split( strtoupper( rtrim( $secret, '=' ) ) ) as $c ) {
		$bits .= str_pad( decbin( strpos( $alphabet, $c ) ), 5, '0', STR_PAD_LEFT );
	}
	$key = '';
	foreach ( str_split( substr( $bits, 0, intdiv( strlen( $bits ), 8 ) * 8 ), 8 ) as $byte ) {
		$key .= chr( bindec( $byte ) );
	}
	$mac    = hash_hmac( 'sha1', pack( 'J', intdiv( $at, 30 ) ), $key, true );
	$offset = ord( $mac[19] ) & 0x0f;
	$value  = unpack( 'N', substr( $mac, $offset, 4 ) )[1] & 0x7fffffff;
	return str_pad( (string) ( $value % 1000000 ), 6, '0', STR_PAD_LEFT );
}

/**
 * The ApiException $fn throws (null when it throws none or another kind).
 *
 * @param callable $fn Code to run.
 */
function api_error( callable $fn ): ?ApiException {
	$e = thrown( $fn );
	return $e instanceof ApiException ? $e : null;
}

same( '287082', totp( 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59 ), 'the test TOTP matches RFC 6238' );

$client = emulator_client();

$run      = bin2hex( random_bytes( 4 ) );
$password = "Lifecycle-$run-Pw1!";

// --- Password reset: create (the token), confirm, sign in with the new password. ---
$email = "reset-$run@example.com";
$user  = emulator( 'POST', '/__emulator/users', array( 'email' => $email, 'password' => $password ) );
$mark  = log_size();
$reset = $client->createPasswordReset( $email );
check( 0 === strpos( $reset['id'] ?? '', 'password_reset_' ), 'createPasswordReset answers the PasswordReset: ' . json_encode( $reset ) );
same( $user['id'], $reset['user_id'] ?? null, 'for the user of that email' );
$sent = sent_since( $mark );
same( array( 'POST /user_management/password_reset' ), array_map( 'line', $sent ), 'createPasswordReset path' );
same( array( 'email' => $email ), $sent[0]['body'], 'createPasswordReset body' );
$e = api_error( fn() => $client->resetPassword( $reset['password_reset_token'], 'short' ) );
same( array( 400, 'password_reset_error' ), array( $e ? $e->getStatus() : 0, $e ? $e->getErrorCode() : null ), 'a weak password is WorkOS\'s password_reset_error' );
same( 'password_too_short', $e ? ( $e->getBody()['errors'][0]['code'] ?? null ) : null, 'the reason is in getBody()[errors]' );
$new_password = "Reset-$run-Pw2!";
$mark         = log_size();
$done         = $client->resetPassword( $reset['password_reset_token'], $new_password );
same( $user['id'], $done['user']['id'] ?? null, 'resetPassword answers the user' );
same( array( 'token' => $reset['password_reset_token'], 'new_password' => '[redacted]' ), sent_since( $mark )[0]['body'], 'resetPassword body (the log redacts the password)' );
same( $user['id'], $client->authenticateWithPassword( $email, $new_password )['user']['id'] ?? null, 'the new password signs in' );
$e = api_error( fn() => $client->resetPassword( $reset['password_reset_token'], $new_password ) );
same( 'password_reset_token_previously_used', $e ? ( $e->getBody()['errors'][0]['code'] ?? null ) : null, 'a token works once' );
$e = api_error( fn() => $client->createPasswordReset( "nobody-$run@example.com" ) );
same( 404, $e ? $e->getStatus() : 0, 'an unknown address is WorkOS\'s 404 (the caller must answer the same either way)' );

// --- Email verification: the sign-in's step-up, a code sent on demand, the grant. ---
$email   = "verify-$run@example.com";
$user    = emulator( 'POST', '/__emulator/users', array( 'email' => $email, 'password' => $password, 'email_verified' => false ) );
$step_up = api_error( fn() => $client->authenticateWithPassword( $email, $password ) );
same( 'email_verification_required', $step_up ? $step_up->getErrorCode() : null, 'an unverified user gets the step-up' );
$pending = $step_up ? ( $step_up->getBody()['pending_authentication_token'] ?? '' ) : '';
check( '' !== $pending, 'with its pending token in getBody()' );
$mark = log_size();
same( $user['id'], $client->sendVerificationEmail( $user['id'] )['user']['id'] ?? null, 'sendVerificationEmail answers the user' );
same( 'POST /user_management/users/' . $user['id'] . '/email_verification/send', line( sent_since( $mark )[0] ), 'sendVerificationEmail path' );
$code = emulator( 'GET', '/__emulator/email_verification?email=' . rawurlencode( $email ) )['code'] ?? '';
$e    = api_error( fn() => $client->authenticateWithEmailVerification( '000000' === $code ? '111111' : '000000', $pending ) );
same( 'invalid_one_time_code', $e ? $e->getErrorCode() : null, 'a wrong code is WorkOS\'s invalid_one_time_code' );
$mark = log_size();
$auth = $client->authenticateWithEmailVerification( $code, $pending );
same( array( $user['id'], true ), array( $auth['user']['id'] ?? null, $auth['user']['email_verified'] ?? null ), 'authenticateWithEmailVerification signs in, verified' );
$body = sent_since( $mark )[0]['body'];
same( array( 'urn:workos:oauth:grant-type:email-verification:code', $code, $pending ), array( $body['grant_type'] ?? null, $body['code'] ?? null, $body['pending_authentication_token'] ?? null ), 'the grant sent' );
$e = api_error( fn() => $client->sendVerificationEmail( $user['id'] ) );
same( 'email_already_verified', $e ? $e->getErrorCode() : null, 'a verified address is not sent another code' );
// verifyEmail(): the code without a sign-in (sign-up by code).
$other = emulator( 'POST', '/__emulator/users', array( 'email' => "verify2-$run@example.com", 'email_verified' => false ) );
$client->sendVerificationEmail( $other['id'] );
$code = emulator( 'GET', '/__emulator/email_verification?email=' . rawurlencode( "verify2-$run@example.com" ) )['code'] ?? '';
same( true, $client->verifyEmail( $other['id'], $code )['user']['email_verified'] ?? null, 'verifyEmail verifies the address' );

// --- Change of email: the code goes to the new address; nothing changes before it comes back. ---
$old_email = "change-$run@example.com";
$new_email = "changed-$run@example.com";
$user      = emulator( 'POST', '/__emulator/users', array( 'email' => $old_email, 'password' => $password ) );
$mark      = log_size();
$change    = $client->sendEmailChange( $user['id'], $new_email );
same( array( 'email_change', $new_email, $old_email ), array( $change['object'] ?? null, $change['new_email'] ?? null, $change['user']['email'] ?? null ), 'sendEmailChange answers the pending change' );
$sent = sent_since( $mark );
same( 'POST /user_management/users/' . $user['id'] . '/email_change/send', line( $sent[0] ), 'sendEmailChange path' );
same( array( 'new_email' => $new_email ), $sent[0]['body'], 'sendEmailChange body' );
$code = emulator( 'GET', '/__emulator/email_change?email=' . rawurlencode( $new_email ) )['code'] ?? '';
$e    = api_error( fn() => $client->confirmEmailChange( $user['id'], '000000' === $code ? '111111' : '000000' ) );
same( array( 400, 'email_change_code_incorrect' ), array( $e ? $e->getStatus() : 0, $e ? $e->getErrorCode() : null ), 'a wrong code is WorkOS\'s email_change_code_incorrect' );
same( $old_email, $client->getUser( $user['id'] )['email'] ?? null, 'the address is unchanged until confirmed' );
$done = $client->confirmEmailChange( $user['id'], $code );
same( array( 'email_change_confirmation', $new_email ), array( $done['object'] ?? null, $done['user']['email'] ?? null ), 'confirmEmailChange changes the address' );
$e = api_error( fn() => $client->sendEmailChange( $user['id'], $new_email ) );
same( array( 409, 'email_change_not_needed' ), array( $e ? $e->getStatus() : 0, $e ? $e->getErrorCode() : null ), 'the same address again is not needed' );

// --- Invitations: send, get, find by token, revoke; accept through the password grant. ---
$org    = $client->createOrganization( "Lifecycle $run" );
$email  = "invitee-$run@example.com";
$mark   = log_size();
$invite = $client->sendInvitation( array( 'email' => $email, 'organization_id' => $org['id'], 'expires_in_days' => 3 ) );
check( 0 === strpos( $invite['id'] ?? '', 'invitation_' ) && 'pending' === ( $invite['state'] ?? '' ), 'sendInvitation answers the pending invitation: ' . json_encode( $invite ) );
$sent = sent_since( $mark );
same( 'POST /user_management/invitations', line( $sent[0] ), 'sendInvitation path' );
same( array( 'email' => $email, 'organization_id' => $org['id'], 'expires_in_days' => 3 ), $sent[0]['body'], 'sendInvitation body' );
same( $invite['id'], $client->getInvitation( $invite['id'] )['id'] ?? null, 'getInvitation' );
$mark  = log_size();
$found = $client->findInvitationByToken( $invite['token'] );
same( array( $invite['id'], $email, $org['id'] ), array( $found['id'] ?? null, $found['email'] ?? null, $found['organization_id'] ?? null ), 'findInvitationByToken tells the email and organization' );
same( 'GET /user_management/invitations/by_token/' . $invite['token'], line( sent_since( $mark )[0] ), 'findInvitationByToken path' );
$e = api_error( fn() => $client->sendInvitation( array( 'email' => $email, 'organization_id' => $org['id'] ) ) );
same( array( 400, 'email_already_invited_to_organization' ), array( $e ? $e->getStatus() : 0, $e ? $e->getErrorCode() : null ), 'a second invitation is refused' );
$e = api_error( fn() => $client->findInvitationByToken( "gone$run" ) );
same( 404, $e ? $e->getStatus() : 0, 'an unknown token is a 404' );

$invitee = emulator( 'POST', '/__emulator/users', array( 'email' => $email, 'password' => $password ) );
$e       = api_error( fn() => $client->authenticateWithPassword( $email, $password, "wrong$run" ) );
same( 'invitation_invalid', $e ? $e->getErrorCode() : null, 'an unknown invitation token is WorkOS\'s invitation_invalid' );
$auth = $client->authenticateWithPassword( $email, $password, $invite['token'] );
same( array( $invitee['id'], $org['id'] ), array( $auth['user']['id'] ?? null, $auth['organization_id'] ?? null ), 'the invited sign-in lands in the organization' );
same( 'accepted', $client->getInvitation( $invite['id'] )['state'] ?? null, 'and accepts the invitation' );

$second  = $client->sendInvitation( array( 'email' => "revoked-$run@example.com" ) );
$mark    = log_size();
$revoked = $client->revokeInvitation( $second['id'] );
same( 'revoked', $revoked['state'] ?? null, 'revokeInvitation' );
same( 'POST /user_management/invitations/' . $second['id'] . '/revoke', line( sent_since( $mark )[0] ), 'revokeInvitation path' );
$e = api_error( fn() => $client->revokeInvitation( $second['id'] ) );
same( 'invite_not_pending', $e ? $e->getErrorCode() : null, 'a revoked invitation cannot be revoked again' );

// Invited sign-up by Magic Auth, then acceptInvitation() on a third one.
$magic_email = "magic-$run@example.com";
$magic_inv   = $client->sendInvitation( array( 'email' => $magic_email, 'organization_id' => $org['id'] ) );
$magic       = $client->createMagicAuth( $magic_email, $magic_inv['token'] );
$mark        = log_size();
$auth        = $client->authenticateWithMagicAuth( $magic['code'], $magic_email, $magic_inv['token'] );
same( array( $magic['user_id'], $org['id'], 'MagicAuth' ), array( $auth['user']['id'] ?? null, $auth['organization_id'] ?? null, $auth['authentication_method'] ?? null ), 'authenticateWithMagicAuth signs the invitee in, in the organization' );
$body = sent_since( $mark )[0]['body'];
same( array( 'urn:workos:oauth:grant-type:magic-auth:code', $magic['code'], $magic_email, $magic_inv['token'] ), array( $body['grant_type'] ?? null, $body['code'] ?? null, $body['email'] ?? null, $body['invitation_token'] ?? null ), 'the magic-auth grant sent' );
$e = api_error( fn() => $client->authenticateWithMagicAuth( $magic['code'], $magic_email ) );
same( 'one_time_code_previously_used', $e ? $e->getErrorCode() : null, 'a code works once' );
$third = $client->sendInvitation( array( 'email' => "verify-$run@example.com", 'organization_id' => $org['id'], 'role_slug' => 'admin' ) );
$acc   = $client->acceptInvitation( $third['id'] );
same( array( 'accepted', 'admin' ), array( $acc['state'] ?? null, $acc['role_slug'] ?? null ), 'acceptInvitation' );

// --- MFA: enrolment during a sign-in, the TOTP grant, then a challenge next time. ---
$email   = "mfa-$run@example.com";
$user    = emulator( 'POST', '/__emulator/users', array( 'email' => $email, 'password' => $password, 'mfa' => 'enrollment' ) );
$step_up = api_error( fn() => $client->authenticateWithPassword( $email, $password ) );
same( array( 403, 'mfa_enrollment' ), array( $step_up ? $step_up->getStatus() : 0, $step_up ? $step_up->getErrorCode() : null ), 'a user who must enrol gets mfa_enrollment' );
$pending = $step_up ? ( $step_up->getBody()['pending_authentication_token'] ?? '' ) : '';
same( $user['id'], $step_up ? ( $step_up->getBody()['user']['id'] ?? null ) : null, 'with the user in getBody()' );
$mark     = log_size();
$enrolled = $client->enrollAuthFactor( $user['id'], 'My Site' );
$factor   = $enrolled['authentication_factor'] ?? array();
$secret   = $factor['totp']['secret'] ?? '';
check( '' !== $secret && 0 === strpos( $factor['totp']['uri'] ?? '', 'otpauth://totp/' ), 'enrollAuthFactor answers the secret and the otpauth URI: ' . json_encode( $factor ) );
same( array( 'type' => 'totp', 'totp_issuer' => 'My Site' ), sent_since( $mark )[0]['body'], 'enrollAuthFactor body' );
$challenge = $enrolled['authentication_challenge']['id'] ?? '';
$now       = time();
$e         = api_error( fn() => $client->authenticateWithTotp( totp( $secret, $now - 3600 ), $pending, $challenge ) );
same( 'invalid_one_time_code', $e ? $e->getErrorCode() : null, 'an old code is refused' );
$mark = log_size();
$auth = $client->authenticateWithTotp( totp( $secret, time() ), $pending, $challenge );
same( $user['id'], $auth['user']['id'] ?? null, 'authenticateWithTotp finishes the sign-in' );
$body = sent_since( $mark )[0]['body'];
same( array( 'urn:workos:oauth:grant-type:mfa-totp', $pending, $challenge ), array( $body['grant_type'] ?? null, $body['pending_authentication_token'] ?? null, $body['authentication_challenge_id'] ?? null ), 'the mfa-totp grant sent' );

$step_up = api_error( fn() => $client->authenticateWithPassword( $email, $password ) );
same( 'mfa_challenge', $step_up ? $step_up->getErrorCode() : null, 'next time the enrolled user is challenged' );
$factors = $step_up ? ( $step_up->getBody()['authentication_factors'] ?? array() ) : array();
same( array( $factor['id'] ?? null ), array_column( $factors, 'id' ), 'listing the enrolled factor' );
same( array( $factor['id'] ?? null ), array_column( $client->listAuthFactors( $user['id'] )['data'] ?? array(), 'id' ), 'listAuthFactors' );
$mark = log_size();
$ch   = $client->challengeAuthFactor( $factor['id'] );
same( 'POST /auth/factors/' . $factor['id'] . '/challenge', line( sent_since( $mark )[0] ), 'challengeAuthFactor path' );
$check = $client->verifyAuthChallenge( $ch['id'], totp( $secret, $now - 3600 ) );
same( false, $check['valid'] ?? null, 'verifyAuthChallenge: a wrong code is valid=false' );
$auth = $client->authenticateWithTotp( totp( $secret, time() ), $step_up->getBody()['pending_authentication_token'], $ch['id'] );
same( $user['id'], $auth['user']['id'] ?? null, 'the challenged sign-in finishes' );
$mark = log_size();
$client->deleteAuthFactor( $factor['id'] );
same( 'DELETE /auth/factors/' . $factor['id'], line( sent_since( $mark )[0] ), 'deleteAuthFactor path' );
$e = api_error( fn() => $client->challengeAuthFactor( $factor['id'] ) );
same( 404, $e ? $e->getStatus() : 0, 'a deleted factor cannot be challenged' );

// --- Organization selection. ---
$email = "orgs-$run@example.com";
$org_b = $client->createOrganization( "Lifecycle B $run" );
emulator( 'POST', '/__emulator/users', array( 'email' => $email, 'password' => $password, 'organization_ids' => array( $org['id'], $org_b['id'] ) ) );
$step_up = api_error( fn() => $client->authenticateWithPassword( $email, $password ) );
same( 'organization_selection_required', $step_up ? $step_up->getErrorCode() : null, 'two organizations: the user must choose' );
$pending = $step_up ? ( $step_up->getBody()['pending_authentication_token'] ?? '' ) : '';
$auth    = $client->authenticateWithOrganizationSelection( $pending, $org_b['id'] );
same( $org_b['id'], $auth['organization_id'] ?? null, 'authenticateWithOrganizationSelection' );

// --- Nothing malformed is sent. ---
$mark = log_size();
foreach (
	array(
		'createPasswordReset(not an email)'   => array( fn() => $client->createPasswordReset( 'nobody' ), 'email' ),
		'resetPassword(no token)'             => array( fn() => $client->resetPassword( '', 'x' ), 'token' ),
		'resetPassword(empty password)'       => array( fn() => $client->resetPassword( 't', '' ), 'new_password' ),
		'sendVerificationEmail(org id)'       => array( fn() => $client->sendVerificationEmail( $org['id'] ), 'user_id' ),
		'verifyEmail(empty code)'             => array( fn() => $client->verifyEmail( $user['id'], '' ), 'code' ),
		'emailVerification(letters)'          => array( fn() => $client->authenticateWithEmailVerification( 'abc', 'p' ), 'code' ),
		'emailVerification(no pending)'       => array( fn() => $client->authenticateWithEmailVerification( '123456', ' ' ), 'pending_authentication_token' ),
		'sendEmailChange(not an email)'       => array( fn() => $client->sendEmailChange( $user['id'], 'nobody' ), 'new_email' ),
		'confirmEmailChange(org id)'          => array( fn() => $client->confirmEmailChange( $org['id'], '123456' ), 'user_id' ),
		'sendInvitation(no email)'            => array( fn() => $client->sendInvitation( array( 'organization_id' => $org['id'] ) ), 'email' ),
		'sendInvitation(unknown key)'         => array( fn() => $client->sendInvitation( array( 'email' => 'a@b', 'org' => 'x' ) ), 'unknown field' ),
		'sendInvitation(days 31)'             => array( fn() => $client->sendInvitation( array( 'email' => 'a@b', 'expires_in_days' => 31 ) ), 'expires_in_days' ),
		'sendInvitation(role without org)'    => array( fn() => $client->sendInvitation( array( 'email' => 'a@b', 'role_slug' => 'admin' ) ), 'organization_id' ),
		'getInvitation(user id)'              => array( fn() => $client->getInvitation( $user['id'] ), 'invitation_id' ),
		'findInvitationByToken(..)'           => array( fn() => $client->findInvitationByToken( '..' ), 'path segment' ),
		'revokeInvitation(empty)'             => array( fn() => $client->revokeInvitation( '' ), 'path segment' ),
		'authenticateWithMagicAuth(email)'    => array( fn() => $client->authenticateWithMagicAuth( '123456', 'nobody' ), 'email' ),
		'authenticateWithMagicAuth(code)'     => array( fn() => $client->authenticateWithMagicAuth( '12 34', 'a@b' ), 'code' ),
		'enrollAuthFactor(org id)'            => array( fn() => $client->enrollAuthFactor( $org['id'] ), 'user_id' ),
		'listAuthFactors(unknown key)'        => array( fn() => $client->listAuthFactors( $user['id'], array( 'type' => 'totp' ) ), 'unknown key' ),
		'challengeAuthFactor(challenge id)'   => array( fn() => $client->challengeAuthFactor( 'auth_challenge_1' ), 'factor_id' ),
		'verifyAuthChallenge(letters)'        => array( fn() => $client->verifyAuthChallenge( 'auth_challenge_1', '12a456' ), 'digits' ),
		'deleteAuthFactor(user id)'           => array( fn() => $client->deleteAuthFactor( $user['id'] ), 'factor_id' ),
		'authenticateWithTotp(factor id)'     => array( fn() => $client->authenticateWithTotp( '123456', 'p', 'auth_factor_1' ), 'authentication_challenge_id' ),
		'organizationSelection(user id)'      => array( fn() => $client->authenticateWithOrganizationSelection( 'p', $user['id'] ), 'organization_id' ),
		'authenticateWithPassword(bad token)' => array( fn() => $client->authenticateWithPassword( 'a@b', 'pw', "tok\n" ), 'invitation_token' ),
	) as $what => list( $call, $part )
) {
	throws( InvalidArgumentException::class, $call, $what, $part );
}
same( array(), array_map( 'line', sent_since( $mark ) ), 'none of the malformed calls went out' );

finish();
