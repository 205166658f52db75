<?php
/**
 * WorkOS\Native\LoginProfile and ProfileRouter through PHP: the Rust side is
 * crates/workos-core/src/profile/. Every field rule has its cargo test; here:
 * PHP arrays in and out (lists with holes, `{}` as `[]`), the exception's
 * class, code and field, and bad input that must never crash PHP.
 */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\InvalidArgumentException;
use WorkOS\Native\LoginProfile;
use WorkOS\Native\ProfileException;
use WorkOS\Native\ProfileRouter;

$defaults = LoginProfile::defaults();
same( array( 'password', 'magic_code' ), $defaults['methods'], 'default methods' );
same( array( 'enforce' => 'if_required', 'factors' => array( 'totp' ) ), $defaults['mfa'], 'default MFA' );
same( 'custom', $defaults['mode'], 'default mode' );

$p = LoginProfile::validate(
	array(
		'slug'     => ' Members ',
		'methods'  => array_filter( array( 'passkey', '', 'password' ) ), // A list with a hole.
		'branding' => array( 'primary_color' => '#ABCDEF' ),
		'signup'   => array(), // PHP's `{}`.
		'extra'    => 'dropped',
	)
);
same( 'members', $p['slug'], 'slug made canonical' );
same( 'Members', $p['title'], 'title from the slug' );
same( array( 'password', 'passkey' ), $p['methods'], 'methods in the allow-list order' );
same( '#abcdef', $p['branding']['primary_color'], 'colour lower-cased' );
same( array( 'enabled' => false, 'require_invite' => false ), $p['signup'], 'signup defaults' );
check( ! array_key_exists( 'extra', $p ), 'unknown keys dropped' );
same( $p, LoginProfile::validate( $p ), 'validate is idempotent' );
same( $p, LoginProfile::normalize( $p ), 'normalize keeps a valid profile' );

/**
 * The ProfileException $fn throws (null if none, or another class).
 *
 * @param callable $fn Code to run.
 */
function profile_error( callable $fn ): ?ProfileException {
	$e = thrown( $fn );
	return $e instanceof ProfileException ? $e : null;
}

$cases = array(
	array( array( 'slug' => '' ), 'workos_profile_invalid_slug', 'slug' ),
	array( array( 'slug' => 'a b' ), 'workos_profile_invalid_slug', 'slug' ),
	array( array( 'slug' => 'a', 'custom_path' => 'wp-admin' ), 'workos_profile_path_reserved', 'custom_path' ),
	array( array( 'slug' => 'a', 'custom_path' => '/wp-login.php' ), 'workos_profile_path_reserved', 'custom_path' ),
	array( array( 'slug' => 'a', 'custom_path' => 'team login' ), 'workos_profile_path_invalid', 'custom_path' ),
	array( array( 'slug' => 'a', 'methods' => array() ), 'workos_profile_invalid_methods', 'methods' ),
	array( array( 'slug' => 'a', 'methods' => array( 'fax' ) ), 'workos_profile_invalid_methods', 'methods' ),
	array( array( 'slug' => 'a', 'organization_id' => 'acme' ), 'workos_profile_invalid_organization', 'organization_id' ),
	array( array( 'slug' => 'a', 'mfa' => array( 'enforce' => 'sometimes' ) ), 'workos_profile_invalid_mfa', 'mfa.enforce' ),
	array( array( 'slug' => 'a', 'mfa' => array( 'factors' => array() ) ), 'workos_profile_invalid_mfa', 'mfa.factors' ),
	array( array( 'slug' => 'a', 'branding' => array( 'primary_color' => 'red' ) ), 'workos_profile_invalid_color', 'branding.primary_color' ),
	array( array( 'slug' => 'a', 'branding' => array( 'logo_mode' => 'custom' ) ), 'workos_profile_logo_required', 'branding.logo_attachment_id' ),
	array( array( 'slug' => 'a', 'mode' => 'redirect' ), 'workos_profile_invalid_mode', 'mode' ),
	array( array( 'slug' => 'a', 'forward_query_args' => 'perhaps' ), 'workos_profile_invalid_field', 'forward_query_args' ),
	array( array( 'slug' => 'a', 'post_login_redirect' => 'javascript:alert(1)' ), 'workos_profile_invalid_redirect', 'post_login_redirect' ),
);
foreach ( $cases as $i => list( $input, $code, $field ) ) {
	$e = profile_error( fn() => LoginProfile::validate( $input ) );
	check( null !== $e, "case $i: a ProfileException" );
	if ( $e ) {
		same( $code, $e->getErrorCode(), "case $i: code" );
		same( $field, $e->getField(), "case $i: field" );
		check( $e instanceof InvalidArgumentException && $e instanceof \RuntimeException, "case $i: an InvalidArgumentException" );
		check( '' !== $e->getMessage(), "case $i: a message" );
	}
}

// Partial updates: deep merge, lists replaced whole, null resets.
$stored = LoginProfile::validate(
	array(
		'slug'     => 'team',
		'methods'  => array( 'password', 'passkey' ),
		'mfa'      => array(
			'enforce' => 'always',
			'factors' => array( 'totp', 'sms' ),
		),
		'branding' => array( 'heading' => 'Hi' ),
	)
);
$merged = LoginProfile::validate(
	LoginProfile::merge(
		$stored,
		array(
			'methods'  => array( 'oauth_github' ),
			'mfa'      => array( 'factors' => array( 'webauthn' ) ),
			'branding' => array( 'subheading' => 'Team' ),
			'title'    => null,
		)
	)
);
same( array( 'oauth_github' ), $merged['methods'], 'methods replaced whole' );
same( array( 'enforce' => 'always', 'factors' => array( 'webauthn' ) ), $merged['mfa'], 'mfa merged, factors replaced' );
same( array( 'Hi', 'Team' ), array( $merged['branding']['heading'], $merged['branding']['subheading'] ), 'branding merged' );
same( 'Team', $merged['title'], 'null resets the title to its default' );
same( $stored, LoginProfile::merge( $stored, array() ), 'an empty patch changes nothing' );

check( LoginProfile::isReservedPath( '/WP-JSON/' ) && ! LoginProfile::isReservedPath( 'members' ), 'isReservedPath' );
$choices = LoginProfile::choices();
same( 'default', $choices['default_slug'], 'choices: default slug' );
check( in_array( 'passkey', $choices['methods'], true ) && in_array( 'user_role', $choices['matcher_types'], true ), 'choices lists' );

// Routing.
$rules = array(
	array(
		'profile' => 'shop',
		'matcher' => array(
			'type'  => 'redirect_to',
			'value' => '/shop/*',
		),
	),
	array(
		'profile' => 'staff',
		'matcher' => array(
			'type'  => 'user_role',
			'value' => 'editor',
		),
	),
	'junk',
);
same( 'shop', ProfileRouter::choose( $rules, array( 'redirect_to' => 'http://site.example/shop/cart' ) ), 'redirect_to glob' );
same( 'staff', ProfileRouter::choose( $rules, array( 'roles' => array( 'editor' ) ) ), 'role' );
same( 'default', ProfileRouter::choose( $rules, array() ), 'nothing matches: default' );
same( 'default', ProfileRouter::choose( $rules, array( 'roles' => array( 'editor' ), 'profiles' => array( 'default' ) ) ), 'a deleted profile is skipped' );
same( 2, count( ProfileRouter::normalizeRules( $rules ) ), 'bad stored rules dropped' );
$e = profile_error( fn() => ProfileRouter::validateRules( $rules ) );
same( array( 'workos_profile_invalid_rule', 'rules[2]' ), $e ? array( $e->getErrorCode(), $e->getField() ) : null, 'strict rules name the bad one' );
same( array(), ProfileRouter::validateRules( array() ), 'no rules' );
throws( InvalidArgumentException::class, fn() => ProfileRouter::choose( $rules, array( 'role' => 'editor' ) ), 'misspelt context key' );
throws( InvalidArgumentException::class, fn() => ProfileRouter::choose( $rules, array( 'roles' => 'editor' ) ), 'roles must be a list' );
throws( InvalidArgumentException::class, fn() => ProfileRouter::choose( $rules, array( 'roles' => array( array() ) ) ), 'roles of strings' );

// Bad input: an exception of ours or a plain answer, never a crash.
$deep = array( 'leaf' );
for ( $i = 0; $i < 200; $i++ ) {
	$deep = array( 'k' => $deep );
}
$self   = array( 'slug' => 'a' );
$self[] = &$self;
$bad    = array(
	array( 'slug' => "a\0b" ),
	array( 'slug' => "\xff\xfe" ),
	array( "\xff" => 1 ),
	array( 'slug' => 'a', 'branding' => $deep ),
	$self,
	array( 'slug' => 'a', 'methods' => array( new stdClass() ) ),
	array( 'slug' => 'a', 'title' => str_repeat( 'x', 1 << 20 ) ),
	array( 'slug' => 'a', 'branding' => array( 'logo_attachment_id' => PHP_INT_MAX ) ),
	array( 'slug' => 'a', 'branding' => array( 'logo_attachment_id' => NAN ) ),
	array( 'slug' => 'a', 'custom_path' => str_repeat( 'a/', 5000 ) ),
);
foreach ( $bad as $i => $input ) {
	foreach ( array( 'validate', 'normalize' ) as $fn ) {
		$e = thrown( fn() => LoginProfile::$fn( $input ) );
		check( null === $e || ( $e instanceof \WorkOS\Native\Exception && false === strpos( $e->getMessage(), 'internal error' ) ), "bad input $i to $fn: " . ( $e ? get_class( $e ) . ' ' . $e->getMessage() : 'ok' ) );
	}
	$e = thrown( fn() => LoginProfile::merge( $input, $input ) );
	check( null === $e || $e instanceof \WorkOS\Native\Exception, "bad input $i to merge" );
	$e = thrown( fn() => ProfileRouter::choose( array( $input ), array( 'redirect_to' => "\0\xff" ) ) );
	check( null === $e || $e instanceof \WorkOS\Native\Exception, "bad input $i to choose" );
}
// A profile the lenient reading accepted is always one validate() accepts once it has a slug.
foreach ( array( array( 'methods' => array( 'x' ) ), array( 'mfa' => 3 ), array( 'branding' => array( 'logo_mode' => 'custom' ) ) ) as $i => $junk ) {
	$n         = LoginProfile::normalize( $junk );
	$n['slug'] = 'x';
	same( $n, LoginProfile::validate( $n ), "normalized junk $i validates" );
}

finish();
