<?php
/**
 * Plugin Name: AuthKit slot example
 * Description: Fills two of the hosted login's slots (workos.authkit.belowCard and workos.authkit.afterPrimaryAction) and prints a line from a login_form hook: how another plugin extends the WorkOS login without forking it (README, "Extending the hosted login"). A test fixture of tests/browser/test_shell_frame.py.
 * Version: 1.0.0
 * Requires at least: 6.1
 * Text Domain: authkit-slot-example
 * License: GPL-2.0-or-later
 *
 * @package AuthKitSlotExample
 */

defined( 'ABSPATH' ) || exit;

/*
 * The shell fires workos_authkit_enqueue_assets wherever it is shown (its own pages, wp-login.php
 * taken over, the [workos:login] shortcode). A fill script depends on wp-plugins (registerPlugin)
 * and wp-components (Fill); the shell uses WordPress's SlotFill when a script like this brings it.
 */
add_action(
	'workos_authkit_enqueue_assets',
	static function () {
		wp_enqueue_script(
			'authkit-slot-example',
			plugins_url( 'fill.js', __FILE__ ),
			array( 'wp-plugins', 'wp-components', 'wp-element', 'wp-i18n' ),
			'1.0.0',
			true
		);
		wp_set_script_translations( 'authkit-slot-example', 'authkit-slot-example' );
	}
);

/*
 * What login_form hooks print shows below the card, as on wp-login.php (the belowCard area).
 */
add_action(
	'login_form',
	static function () {
		printf( '<p class="authkit-slot-example-login-form">%s</p>', esc_html__( 'Printed by a login_form hook.', 'authkit-slot-example' ) );
	}
);
