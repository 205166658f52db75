<?php
/**
 * The hosted login's extension points (REFERENCE-API §8.1): the ten named
 * slots other plugins fill with `registerPlugin( name, { scope:
 * 'workos-authkit', render } )` and `<Fill name="workos.authkit.…">`, the
 * `workos_authkit_enqueue_assets` action that puts their scripts on the
 * page, and what `login_form` hooks print, shown below the card.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Profile;

defined( 'ABSPATH' ) || exit;

/**
 * The server half: Shell prints each slot's empty element where the app
 * renders it (src/App.js, steps/parts.js), so hydration finds them as it
 * renders them. WordPress's SlotFill (wp-components, some 640 KB) is not a
 * dependency of the shell: it loads only when a plugin's script needs it,
 * and the app uses it when it is there.
 */
final class Slots {

	/**
	 * Whether login_form() is capturing (SignIn\Login::sso_link() then prints nothing).
	 *
	 * @var bool
	 */
	private static $capturing = false;

	/** The reference's slot names, by position. */
	public const BEFORE_HEADER        = 'workos.authkit.beforeHeader';
	public const AFTER_HEADER         = 'workos.authkit.afterHeader';
	public const BEFORE_FORM          = 'workos.authkit.beforeForm';
	public const AFTER_FORM           = 'workos.authkit.afterForm';
	public const AFTER_PRIMARY_ACTION = 'workos.authkit.afterPrimaryAction';
	public const BEFORE_FOOTER        = 'workos.authkit.beforeFooter';
	public const AFTER_FOOTER         = 'workos.authkit.afterFooter';
	public const BELOW_CARD           = 'workos.authkit.belowCard';
	public const BEFORE_METHODS       = 'workos.authkit.methodPicker.beforeMethods';
	public const AFTER_METHODS        = 'workos.authkit.methodPicker.afterMethods';

	/**
	 * One slot's element, as the app's Slot renders it (empty until filled).
	 *
	 * @param string $name One of the constants.
	 */
	public static function slot( string $name ): string {
		return '<div class="wa-slot" data-slot="' . esc_attr( $name ) . '"></div>';
	}

	/**
	 * Below the card: the belowCard slot, then what `login_form` hooks print
	 * (as on wp-login.php, where plugins add to the login form). The app
	 * reads that HTML from this element and keeps it (src/index.js).
	 */
	public static function below_card(): string {
		$html = self::login_form();
		return '<div class="wa-below-card">' . self::slot( self::BELOW_CARD )
			. ( '' !== $html ? '<div class="wa-login-form">' . $html . '</div>' : '' )
			. '</div>';
	}

	/**
	 * What other plugins' `login_form` callbacks print. This plugin's own
	 * "Sign in with single sign-on" link is left out (capturing()): on the
	 * hosted login it would lead back to the same page. The output is
	 * theirs, as on wp-login.php (where core prints it unfiltered too).
	 */
	public static function login_form(): string {
		self::$capturing = true;
		ob_start();
		try {
			/** This action is documented in wp-login.php */
			do_action( 'login_form' ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedHooknameFound -- core's hook.
		} finally {
			$html            = trim( (string) ob_get_clean() );
			self::$capturing = false;
		}
		return $html;
	}

	/**
	 * Whether `login_form` is being run for the hosted login's card.
	 */
	public static function capturing(): bool {
		return self::$capturing;
	}

	/**
	 * Fires `workos_authkit_enqueue_assets` (the reference's, after the
	 * shell's own script and style are enqueued) and answers what it added,
	 * for a full page that prints only what the shell needs.
	 *
	 * @param array $profile Normalized profile (Shell::normalize()).
	 * @return array{scripts: string[], styles: string[]}
	 */
	public static function enqueue_assets( array $profile ): array {
		$scripts = wp_scripts()->queue;
		$styles  = wp_styles()->queue;
		/**
		 * Fires where the hosted login is shown, after its script and style
		 * are enqueued: enqueue here the scripts that fill its slots
		 * (registerPlugin with scope 'workos-authkit'; depend on wp-plugins
		 * and wp-components).
		 *
		 * @param Profile $profile The Login Profile (an object, as the reference's; also readable as an array).
		 */
		do_action( 'workos_authkit_enqueue_assets', new Profile( $profile ) );
		return array(
			'scripts' => array_values( array_diff( wp_scripts()->queue, $scripts ) ),
			'styles'  => array_values( array_diff( wp_styles()->queue, $styles ) ),
		);
	}
}
