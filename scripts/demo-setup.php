<?php
/**
 * The demo's hosted login (issue 11): `make demo` opens a branded login of this site at
 * wp-login.php, where the demo user signs in by password or by a magic code.
 *
 *   WORKOS_STACK_INSTANCE=demo php -d extension=…/libworkos.so scripts/demo-setup.php
 *
 * scripts/stack.sh runs it after WordPress is configured (demo instance, emulator only: with a
 * real WorkOS environment the site's settings are the owner's). It prints one line saying what
 * it changed, and changes nothing when the demo is set up already. Required inside WordPress
 * (tests/e2e/test_demo_setup.py), it only defines workos_demo_configure().
 *
 * What it sets, through the plugin's own storage (so the settings screen and the Login Profiles
 * editor show it):
 *   - the login mode `custom`: the default Login Profile takes over wp-login.php;
 *   - the default profile offers every sign-in method the extension knows
 *     (LoginProfile::choices()['methods']: password, magic code, each social provider, passkey)
 *     and carries a heading, a subheading and a primary colour, so the page looks branded;
 *   - every flow of the hosted login on (sign-up, invitations, password reset; the magic code is a
 *     method above), so a newcomer can try each — but only where the profile still has the
 *     model's default (LoginProfile::defaults()): a flow an owner set themselves stays as they set it.
 */

use WorkOS_WP\Profiles\ProfileRepository;
use WorkOS_WP\Settings\Registry;

/** The demo profile's branding (what a site owner would type in the editor). */
const WORKOS_DEMO_BRANDING = array(
	'heading'       => 'Sign in to the WorkOS demo',
	'subheading'    => 'Use the demo account, a code sent by email, or a social provider.',
	'primary_color' => '#6363f1',
);

/**
 * The flows the demo turns on (profile field => the demo's value; `signup` is a group).
 */
const WORKOS_DEMO_FLOWS = array(
	'signup'              => array( 'enabled' => true ),
	'invite_flow'         => true,
	'password_reset_flow' => true,
);

/**
 * The part of WORKOS_DEMO_FLOWS that still needs patching: each field (or group member) that
 * has the model's default value and is not yet the demo's.
 *
 * @param array $stored The stored profile.
 * @return array The patch (empty when nothing is left to turn on).
 */
function workos_demo_flow_patch( array $stored ): array {
	$defaults = \WorkOS\Native\LoginProfile::defaults();
	$patch    = array();
	foreach ( WORKOS_DEMO_FLOWS as $field => $wanted ) {
		if ( is_array( $wanted ) ) {
			foreach ( $wanted as $key => $value ) {
				$now = $stored[ $field ][ $key ] ?? null;
				if ( $value !== $now && ( $defaults[ $field ][ $key ] ?? null ) === $now ) {
					$patch[ $field ][ $key ] = $value;
				}
			}
			if ( isset( $patch[ $field ] ) ) {
				// The group is stored whole: its other members as they are.
				$patch[ $field ] += is_array( $stored[ $field ] ?? null ) ? $stored[ $field ] : array();
			}
		} elseif ( ( $stored[ $field ] ?? null ) !== $wanted && ( $stored[ $field ] ?? null ) === ( $defaults[ $field ] ?? null ) ) {
			$patch[ $field ] = $wanted;
		}
	}
	return $patch;
}

/**
 * Puts the demo's hosted-login configuration in place.
 *
 * @return string[] What was changed (empty when nothing needed to be).
 * @throws RuntimeException When the plugin or the extension is missing, or the profile is refused.
 */
function workos_demo_configure(): array {
	if ( ! class_exists( ProfileRepository::class ) || ! class_exists( \WorkOS\Native\LoginProfile::class ) ) {
		throw new RuntimeException( 'the WorkOS plugin and its extension must be loaded' );
	}
	$done = array();

	// The login mode: stored the way the settings screen stores it.
	if ( ! in_array( 'custom', Registry::LOGIN_MODES, true ) ) {
		throw new RuntimeException( 'this plugin has no `custom` login mode yet' );
	}
	$settings = get_option( 'workos_settings', array() );
	$settings = is_array( $settings ) ? $settings : array();
	if ( 'custom' !== ( $settings['login_mode'] ?? '' ) ) {
		$settings['login_mode'] = 'custom';
		update_option( 'workos_settings', $settings );
		$done[] = 'login mode set to custom';
	}

	// The default profile: every method, branded. Merged into what is stored, so anything else
	// an owner changed in the editor stays.
	$profile = ProfileRepository::get_default();
	$stored  = $profile->to_array();
	$methods = array_values( \WorkOS\Native\LoginProfile::choices()['methods'] );
	$patch   = array(
		'methods'  => $methods,
		'branding' => WORKOS_DEMO_BRANDING,
	);
	$wanted  = \WorkOS\Native\LoginProfile::merge( $stored, $patch );
	$same    = $stored['methods'] === $methods;
	foreach ( WORKOS_DEMO_BRANDING as $field => $value ) {
		$same = $same && ( $stored['branding'][ $field ] ?? null ) === $value;
	}
	if ( ! $same ) {
		$saved = ProfileRepository::save( $wanted, $profile->get_id() );
		if ( is_wp_error( $saved ) ) {
			throw new RuntimeException( 'the default Login Profile was refused: ' . $saved->get_error_message() );
		}
		$done[] = 'default Login Profile: every sign-in method (' . implode( ', ', $methods ) . '), demo branding';
	}

	// Every flow, where the owner left the default.
	$profile = ProfileRepository::get_default();
	$flows   = workos_demo_flow_patch( $profile->to_array() );
	if ( $flows ) {
		$saved = ProfileRepository::save( \WorkOS\Native\LoginProfile::merge( $profile->to_array(), $flows ), $profile->get_id() );
		if ( is_wp_error( $saved ) ) {
			throw new RuntimeException( 'the default Login Profile was refused: ' . $saved->get_error_message() );
		}
		$done[] = 'default Login Profile flows on: ' . implode( ', ', array_keys( $flows ) );
	}
	return $done;
}

// Run directly (not required by a test): load the instance's WordPress, configure, say what changed.
if ( 'cli' === PHP_SAPI && isset( $argv[0] ) && realpath( $argv[0] ) === __FILE__ ) {
	require dirname( __DIR__ ) . '/tests/wp/bootstrap.php';
	try {
		$workos_demo_done = workos_demo_configure();
	} catch ( RuntimeException $e ) {
		fwrite( STDERR, 'demo-setup.php: ' . $e->getMessage() . "\n" );
		exit( 1 );
	}
	echo ( $workos_demo_done ? implode( '; ', $workos_demo_done ) : 'hosted login configured already' ), "\n";
}
